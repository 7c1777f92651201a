// Real OpenID Connect providers for the tests: node-oidc-provider (an OpenID Certified
// implementation), one instance per configured issuer, each on its own port of 127.0.0.1.
//
//   node provider.mjs CONFIG.json
//
// CONFIG: {"accounts": {"<login>": {claims...}}, "providers": [{"port": 1234, "clients": [...]}]}
// Its built-in development login page accepts any login name with any password; the name is the
// account id, its claims come from "accounts". A client may carry "tamper": {"aud" | "iss": value,
// "expired": true}: its ID tokens are then re-signed, with the provider's own key, with that claim
// changed, to play a provider whose token the app must refuse.
import { readFileSync } from 'node:fs';

import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts || {};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(jwk, 'RS256');

async function tampered(idToken, tamper) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (tamper.aud) claims.aud = tamper.aud;
  if (tamper.iss) claims.iss = tamper.iss;
  if (tamper.expired) { claims.iat = now - 7200; claims.exp = now - 3600; }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }).sign(signingKey);
}

for (const settings of config.providers) {
  const tampering = Object.fromEntries(settings.clients.filter((c) => c.tamper).map((c) => [c.client_id, c.tamper]));
  const clients = settings.clients.map(({ tamper, ...client }) => client);
  const issuer = `http://127.0.0.1:${settings.port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-only-cookie-key'] },
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, ...(accounts[id] || {}) }),
    }),
    scopes: ['openid', 'email', 'profile', 'entree'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      // What Entree Federatie releases: a pseudonymous uid, the affiliation and the school's BRIN.
      entree: ['uid', 'eduPersonAffiliation', 'nlEduPersonHomeOrganizationId'],
    },
    // Scope claims in the ID token itself, as the federations send them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
  });
  provider.use(async (ctx, next) => {
    await next();
    const tamper = ctx.oidc?.client && tampering[ctx.oidc.client.clientId];
    if (tamper && ctx.path === '/token' && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token, tamper) };
    }
  });
  provider.listen(settings.port, '127.0.0.1', () => console.log(`oidc provider ${issuer} ready`));
}
