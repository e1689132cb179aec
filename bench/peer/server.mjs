// The benchmark's peer: panva's OpenID-certified oidc-provider, set up to do the same protocol work
// as OAuthDemo's client-credentials grant: one confidential client (client_secret_basic), RS256 JWT
// access tokens (typ at+jwt) for the audience resource-api, 15 minutes. With its default in-memory
// adapter it does not store JWT access tokens (OAuthDemo stores every token, for revocation and
// introspection).
// Usage: node peer/server.mjs <port> <client-secret>
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientSecret] = [Number(process.argv[2]), process.argv[3]];
if (!port || !clientSecret) {
  console.error('usage: node peer/server.mjs <port> <client-secret>');
  process.exit(2);
}

// A fresh RSA key per run, as the auth server has its own.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench',
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'stats.read',
  }],
  jwks: { keys: [signingKey] },
  scopes: ['stats.read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:oauthdemo:resource-api',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'stats.read',
        audience: 'resource-api',
        accessTokenTTL: 15 * 60,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on http://127.0.0.1:${port}`));
