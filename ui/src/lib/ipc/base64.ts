// Base64 decoded straight into a byte array, piece by piece, so a large file read in pieces is
// assembled in one buffer without building a string of its bytes first (`atob` would).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Each character's six bits, or -1; the URL-safe alphabet's `-` and `_` are read too. */
const SEXTETS = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index += 1) table[ALPHABET.charCodeAt(index)] = index;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

const PAD = '='.charCodeAt(0);

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * Decodes `base64` into `target` from index `at` and returns how many bytes it wrote. Throws a
 * `RangeError` when they would not fit, and a `SyntaxError` for anything that is not base64.
 */
export function decodeBase64Into(base64: string, target: Uint8Array, at: number): number {
  let position = at;
  let buffer = 0;
  let bits = 0;
  let padding = 0;
  for (let index = 0; index < base64.length; index += 1) {
    const code = base64.charCodeAt(index);
    if (isSpace(code)) continue;
    if (code === PAD) {
      padding += 1;
      continue;
    }
    const sextet = code < 128 ? (SEXTETS[code] ?? -1) : -1;
    if (sextet < 0 || padding > 0) throw new SyntaxError('Not base64');
    buffer = ((buffer << 6) | sextet) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (position >= target.length) throw new RangeError('The decoded bytes do not fit');
      target[position] = (buffer >> bits) & 0xff;
      position += 1;
    }
  }
  // A lone sixth bit-group cannot end base64; two or four leftover bits are the padding's.
  if (bits >= 6 || padding > 2) throw new SyntaxError('Not base64');
  return position - at;
}
