// Loopback OpenID Provider (panva/oidc-provider) for Member Companion's sign-in tests.
//
//   node server.mjs [--port N] [--access-ttl SECONDS] [--refresh-ttl SECONDS]
//
// stdout carries exactly one JSON line (issuer + endpoints) once the server is listening;
// everything else goes to stderr. Runs until SIGTERM / SIGINT. All state is in memory.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

// oidc-provider prints its "you SHOULD change ..." notices with console.info, i.e. to stdout.
// stdout is reserved for the single JSON line a test harness parses, so send every console
// method to stderr *before* the library is loaded (hence the dynamic import below).
for (const m of ['log', 'info', 'debug']) console[m] = console.error;
const { default: Provider } = await import('oidc-provider');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' }, // 0 = let the OS pick a free port
    'access-ttl': { type: 'string', default: '60' },
    'refresh-ttl': { type: 'string', default: '3600' },
  },
});
const seconds = (name) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};
const port = seconds('port');
const accessTtl = seconds('access-ttl');
const refreshTtl = seconds('refresh-ttl');

const CLIENT_ID = 'member-companion-test';
// Microsoft Graph style resource scopes the app asks for. oidc-provider ignores (drops from the
// grant) any scope it does not know, so they are declared in `scopes` to be consented and echoed.
const RESOURCE_SCOPES = ['User.Read', 'User.Read.All', 'Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'Contacts.Read', 'Files.ReadWrite', 'Sites.Selected'];

// The issuer must contain the real port, so bind first and build the provider afterwards.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve); // loopback only
});
const issuer = `http://127.0.0.1:${server.address().port}`;

// Throwaway signing key for ID tokens, made fresh in memory on every start.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    application_type: 'native', // native + http loopback redirect => any port is accepted (RFC 8252 §7.3)
    token_endpoint_auth_method: 'none', // public client
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
  }],
  responseTypes: ['code'], // authorization code flow only; no implicit / hybrid
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] }, // signs _session/_interaction cookies
  features: {
    devInteractions: { enabled: true }, // built-in login + consent pages; any login/password works
    revocation: { enabled: true }, // lets sign-out tests revoke a refresh token
  },
  // Any login name becomes the account id (the dev login form accepts any password).
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, name: `Test Member ${sub}`, preferred_username: sub }),
  }),
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  scopes: ['openid', 'offline_access', ...RESOURCE_SCOPES],
  pkce: { required: () => true }, // oidc-provider 9 only implements S256; "plain" is rejected
  // Refresh token whenever offline_access made it into the grant (see the /auth shim below).
  issueRefreshToken: (_ctx, client, source) => client.clientId === CLIENT_ID
    && client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
  // Every refresh returns a new refresh token and consumes the old one. Presenting a consumed
  // one again => invalid_grant and the whole grant is revoked (built-in reuse detection).
  rotateRefreshToken: true,
  // Default is 15 s of leeway on expiry checks, which would keep a --access-ttl 1 token working
  // for 16 s. Server and tests share one clock here, so expire tokens exactly on time.
  clockTolerance: 0,
  ttl: {
    AccessToken: accessTtl,
    RefreshToken: refreshTtl, // every rotated refresh token gets a fresh full lifetime
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Session: 86400,
    Grant: 86400,
  },
});

// OpenID Connect Core §11: oidc-provider silently drops offline_access from an authorization
// request unless it also carries prompt=consent. The app (like Entra ID) does not send it, so
// add it here; the fresh-login flow shows a consent page anyway, so this adds no extra step.
provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === '/auth') {
    const query = { ...ctx.query };
    const scopes = String(query.scope ?? '').split(' ');
    const prompts = String(query.prompt ?? '').split(' ').filter(Boolean);
    if (scopes.includes('offline_access') && !prompts.includes('consent') && !prompts.includes('none')) {
      query.prompt = [...prompts, 'consent'].join(' ');
      ctx.query = query;
    }
  }
  await next();
});

server.on('request', provider.callback());

process.stdout.write(`${JSON.stringify({
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  userinfo_endpoint: `${issuer}/me`,
  revocation_endpoint: `${issuer}/token/revocation`,
  jwks_uri: `${issuer}/jwks`,
  client_id: CLIENT_ID,
})}\n`);
console.error(`oidc test provider ready at ${issuer} (access ttl ${accessTtl}s, refresh ttl ${refreshTtl}s)`);

const stop = (signal) => {
  console.error(`${signal}: shutting down`);
  server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
