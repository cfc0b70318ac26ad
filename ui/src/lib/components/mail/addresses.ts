// Checks the addresses a member types into To and Cc.

/** name@example.gov.uk: something, one @, a domain with at least one dot, no spaces. */
const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

export type ParsedAddresses = {
  /** Every address that looks right, in the order typed, without repeats. */
  addresses: string[];
  /** One plain sentence for each entry that is not an email address. */
  problems: string[];
};

/**
 * Splits "a@x.gov.uk, Sam Resident <sam@example.com>; b@y.org" into addresses.
 * Commas and semicolons both separate; a name with the address in angle brackets is accepted.
 */
export function parseAddresses(text: string): ParsedAddresses {
  const addresses: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[,;]/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const bracketed = /<([^<>]*)>\s*$/.exec(entry);
    const address = (bracketed ? bracketed[1] ?? '' : entry).trim();
    if (!ADDRESS.test(address)) {
      problems.push(`“${entry}” is not a full email address. It should look like name@example.gov.uk.`);
      continue;
    }
    const key = address.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      addresses.push(address);
    }
  }
  return { addresses, problems };
}
