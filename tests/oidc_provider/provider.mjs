// A real OpenID Connect provider for the single sign-on tests (node-oidc-provider), started by the
// `oidc_provider` fixture in tests/conftest.py. Not for production: in-memory storage, keys made at start.
//
// Environment:
//   PORT                      0 (default) = a free port; port and issuer are printed as the first stdout line
//   CLIENT_ID, CLIENT_SECRET  the one registered client (the re-integration tool)
//   REDIRECT_URI              the tool's callback (…/aanmelden/oidc/callback/)
//   POST_LOGOUT_REDIRECT_URI  where the provider sends the browser after end_session
//   ACCOUNTS                  path of a JSON file {login: {password, claims}}; read at every look-up, so a
//                             test can change an account's claims between two log-ins
//
// Log-in is a plain form that checks the password; consent is implied for this first-party client.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const env = process.env;
const accountsFile = env.ACCOUNTS;
const customScope = env.CUSTOM_SCOPE || 'reintegratie';
const customClaims = (env.CUSTOM_CLAIMS || '').split(',').filter(Boolean);

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="nl-BE"><head><meta charset="utf-8"><title>${esc(title)}</title></head>`
    + `<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: env.CLIENT_ID,
    client_secret: env.CLIENT_SECRET,
    redirect_uris: [env.REDIRECT_URI],
    post_logout_redirect_uris: [env.POST_LOGOUT_REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'given_name', 'family_name', 'name'],
    [customScope]: customClaims,
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = page('Afmelden bij de testprovider',
          `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, afmelden</button>`
          + '<button type="submit" form="op.logoutForm">Nee, aangemeld blijven</button>');
      },
      postLogoutSuccessSource(ctx) {
        ctx.body = page('Afgemeld bij de testprovider', '<p>U bent afgemeld.</p>');
      },
    },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account.claims }; } };
  },
  // First-party client: every requested scope and claim is granted without a consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(`openid email profile ${customScope}`);
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fout bij de testprovider', `<pre>${esc(JSON.stringify(out))}</pre>`);
  },
};

// The issuer names the port, known once the server listens: the provider is made then.
let provider;
let handler;

function loginForm(uid, error = '') {
  return page('Aanmelden bij de testprovider',
    (error ? `<p role="alert">${esc(error)}</p>` : '')
    + `<form method="post" action="/interaction/${esc(uid)}/login">`
    + '<p><label for="login">Gebruikersnaam</label> <input id="login" name="login" autocomplete="username"></p>'
    + '<p><label for="password">Wachtwoord</label> <input id="password" name="password" type="password"></p>'
    + '<button type="submit">Inloggen</button></form>');
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (details.prompt.name !== 'login') {
    // consent is implied (loadExistingGrant); anything else is not part of these tests
    throw new Error(`unexpected prompt ${details.prompt.name}`);
  }
  if (action === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const account = accounts()[form.get('login')];
    if (!account || account.password !== form.get('password')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(loginForm(uid, 'Onbekende gebruiker of fout wachtwoord.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: form.get('login') } });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(loginForm(uid));
}

const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(?:\/(login))?/);
  if (!match) {
    handler(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (err) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(String(err));
  }
});

server.listen(Number(env.PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  provider = new Provider(`http://127.0.0.1:${port}`, configuration);
  handler = provider.callback();
  process.stdout.write(`${JSON.stringify({ port, issuer: `http://127.0.0.1:${port}` })}\n`);
});
