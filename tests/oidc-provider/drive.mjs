// End-to-end proof of the sign-in flow against server.mjs, done the way the Rust tests must do
// it: plain HTTP, redirects handled by hand, our own cookie jar, no browser.
//
//   node drive.mjs          (spawns its own servers, prints PASS/FAIL per check, exit 1 on failure)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const REDIRECT_URI = 'http://127.0.0.1:53123/callback'; // port not registered: loopback rule
const SCOPE = 'openid offline_access User.Read';

let failures = 0;
function check(name, ok, detail) {
  if (!ok) failures += 1;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${!ok && detail !== undefined ? ` -- ${JSON.stringify(detail)}` : ''}`);
}

// --- server lifecycle -----------------------------------------------------------------------
async function startServer(extraArgs = []) {
  const child = spawn(process.execPath, [new URL('server.mjs', import.meta.url).pathname, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'], // server diagnostics pass through on our stderr
  });
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'), // the one JSON line
    once(child, 'exit').then(([code]) => { throw new Error(`server exited early (${code})`); }),
  ]);
  return { child, meta: JSON.parse(line) };
}
async function stopServer({ child }) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

// --- minimal cookie jar: name + path scoped, enough for oidc-provider's cookies ------------------
class CookieJar {
  #cookies = new Map(); // `${path}\n${name}` -> { name, value, path }
  store(res) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (k) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1);
      const path = attr('path') ?? '/';
      const expires = attr('expires');
      const key = `${path}\n${name}`;
      // oidc-provider deletes cookies by re-setting them with an expiry in 1970.
      if (value === '' || (expires && Date.parse(expires) <= Date.now())) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }
  header(url) {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter(({ path }) => path === '/' || pathname === path || pathname.startsWith(`${path}/`))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

async function request(jar, url, { method = 'GET', form } = {}) {
  const headers = { cookie: jar.header(url) };
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  jar.store(res);
  return res;
}

// --- the authorization code + PKCE flow ----------------------------------------------------------
function pkcePair() {
  const verifier = randomBytes(32).toString('base64url'); // 43 chars
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

// Walks authorize -> login form -> consent form -> redirect_uri and returns the callback URL
// (never fetched). Generic loop: follow each 303, answer whatever form the page shows.
async function authorize(meta, jar, { challenge, state, extra = {} }) {
  const url = new URL(meta.authorization_endpoint);
  const params = {
    client_id: meta.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v === undefined) delete params[k]; // lets a check omit a parameter
  url.search = new URLSearchParams(params).toString();
  let next = { url: url.href, method: 'GET' };
  const seen = [];
  for (let step = 0; step < 12; step += 1) {
    const res = await request(jar, next.url, next);
    seen.push(`${next.method} ${new URL(next.url).pathname} -> ${res.status}`);
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location'), next.url); // Location is often relative
      if (location.href.startsWith(REDIRECT_URI)) return location; // done: do not follow
      next = { url: location.href, method: 'GET' };
      continue;
    }
    const html = await res.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (res.status !== 200 || !action || !prompt) throw new Error(`unexpected page: ${seen.join(', ')}\n${html.slice(0, 500)}`);
    const form = prompt === 'login'
      ? { prompt: 'login', login: 'alice', password: 'anything' }
      : { prompt: 'consent' };
    next = { url: new URL(action, next.url).href, method: 'POST', form };
  }
  throw new Error(`too many steps: ${seen.join(', ')}`);
}

async function signIn(meta, jar) {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('hex');
  const callback = await authorize(meta, jar, { challenge, state });
  return { callback, verifier, state, code: callback.searchParams.get('code') };
}

async function tokenRequest(meta, params) {
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: meta.client_id, ...params }),
  });
  return { status: res.status, json: await res.json() };
}
const redeem = (meta, code, verifier) => tokenRequest(meta, {
  grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI,
});
const refresh = (meta, refreshToken) => tokenRequest(meta, { grant_type: 'refresh_token', refresh_token: refreshToken });
const userinfo = (meta, accessToken) => fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
const isInvalidGrant = (r) => r.status === 400 && r.json.error === 'invalid_grant';

// --- checks ----------------------------------------------------------------------------------------
async function mainChecks() {
  const srv = await startServer();
  try {
    const { meta } = srv;
    const jar = new CookieJar();

    const first = await signIn(meta, jar);
    check('callback carries code, same state and iss (loopback port 53123 accepted)',
      Boolean(first.code) && first.callback.searchParams.get('state') === first.state
      && first.callback.searchParams.get('iss') === meta.issuer, first.callback.href);

    // (b) first, on purpose: a PKCE failure must not burn the code, so (a) can use it afterwards.
    const bad = await redeem(meta, first.code, pkcePair().verifier);
    check('(b) wrong code_verifier -> 400 invalid_grant', isInvalidGrant(bad), bad);

    const good = await redeem(meta, first.code, first.verifier);
    const t = good.json;
    check('(a) code redeemed: access_token, refresh_token, id_token, numeric expires_in',
      good.status === 200 && typeof t.access_token === 'string' && typeof t.refresh_token === 'string'
      && typeof t.id_token === 'string' && typeof t.expires_in === 'number', good);
    check('    granted scope includes offline_access and User.Read',
      String(t.scope).split(' ').includes('offline_access') && String(t.scope).split(' ').includes('User.Read'), t.scope);

    const ui = await userinfo(meta, t.access_token);
    check('    userinfo accepts the fresh access token (200)', ui.status === 200, ui.status);

    const r1 = await refresh(meta, t.refresh_token);
    check('(c) refresh returns a NEW refresh token (and a new access token)',
      r1.status === 200 && typeof r1.json.refresh_token === 'string' && r1.json.refresh_token !== t.refresh_token
      && r1.json.access_token !== t.access_token, r1);

    const reuse = await refresh(meta, t.refresh_token);
    check('(d) reusing the rotated refresh token -> 400 invalid_grant', isInvalidGrant(reuse), reuse);
    const newest = await refresh(meta, r1.json.refresh_token);
    check('(d) ...and the newest refresh token is then revoked too -> 400 invalid_grant', isInvalidGrant(newest), newest);
    const revokedAt = await userinfo(meta, r1.json.access_token);
    check('    ...and so is the access token from that refresh (userinfo 401)', revokedAt.status === 401, revokedAt.status);

    // Second sign-in in the same jar: the _session cookie skips the login page, consent is shown.
    const second = await signIn(meta, jar);
    const t2 = await redeem(meta, second.code, second.verifier);
    check('    second sign-in with the existing session works', t2.status === 200 && Boolean(t2.json.refresh_token), t2);
    // Replaying a code fails AND revokes what that code issued (RFC 6749 §4.1.2).
    const replay = await redeem(meta, second.code, second.verifier);
    const afterReplay = await refresh(meta, t2.json.refresh_token);
    check('    code is single use; replay -> invalid_grant and revokes its tokens',
      isInvalidGrant(replay) && isInvalidGrant(afterReplay), { replay, afterReplay });

    // PKCE is mandatory and S256-only. Errors are sent back to the redirect_uri.
    const noPkce = await authorize(meta, new CookieJar(), { challenge: 'x'.repeat(43), state: 's', extra: { code_challenge: undefined, code_challenge_method: undefined } })
      .catch((e) => e);
    check('    authorize without PKCE -> error=invalid_request at redirect_uri',
      noPkce instanceof URL && noPkce.searchParams.get('error') === 'invalid_request', String(noPkce));
    const plain = await authorize(meta, new CookieJar(), { challenge: 'x'.repeat(43), state: 's', extra: { code_challenge_method: 'plain' } })
      .catch((e) => e);
    check('    code_challenge_method=plain -> error=invalid_request at redirect_uri',
      plain instanceof URL && plain.searchParams.get('error') === 'invalid_request', String(plain));
  } finally {
    await stopServer(srv);
  }
}

async function expiryCheck() {
  const srv = await startServer(['--access-ttl', '1']);
  try {
    const { meta } = srv;
    const { code, verifier } = await signIn(meta, new CookieJar());
    const tok = await redeem(meta, code, verifier);
    check('    --access-ttl 1 -> expires_in is 1', tok.json.expires_in === 1, tok.json.expires_in);
    await sleep(2000);
    const ui = await userinfo(meta, tok.json.access_token);
    check('(e) after 2 s the access token is rejected by userinfo (401)', ui.status === 401, ui.status);
    const r = await refresh(meta, tok.json.refresh_token);
    check('    ...while the refresh token still works', r.status === 200 && typeof r.json.access_token === 'string', r);
  } finally {
    await stopServer(srv);
  }
}

try {
  await mainChecks();
  await expiryCheck();
} catch (err) {
  check('flow completed without exceptions', false, String(err?.stack ?? err));
}
console.log(failures ? `${failures} check(s) FAILED` : 'ALL PASS');
process.exitCode = failures ? 1 : 0;
