// OAuth requests as a client sends them: PKCE, a cookie jar for the browserless login, and the
// preparation of refresh tokens (each one distinct, so every measured request redeems a new one).
import { createHash, randomBytes } from 'node:crypto';

export const base64url = (bytes) => Buffer.from(bytes).toString('base64url');
export const basic = (id, secret) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

export function pkce() {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

/** Cookies by name, from Set-Cookie headers (one string or several). */
export function keepCookies(jar, setCookie) {
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
}

export const cookieHeader = (jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

/** The hidden inputs of a page's forms (request parameters, antiforgery token), as [name, value]. */
export const hiddenInputs = (html) =>
  [...html.matchAll(/<input\b[^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => /type="hidden"/.test(tag))
    .map((tag) => [/name="([^"]*)"/.exec(tag)?.[1], decodeHtml(/value="([^"]*)"/.exec(tag)?.[1] ?? '')])
    .filter(([name]) => name);

const decodeHtml = (text) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x2B;/g, '+').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function authorizeQuery(client, challenge, extra = {}) {
  return new URLSearchParams({
    client_id: client.id,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: client.scope,
    state: base64url(randomBytes(8)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
}

export function codeExchange(client, code, verifier) {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.secret) headers.authorization = basic(client.id, client.secret);
  else form.set('client_id', client.id);
  return { headers, body: form.toString() };
}

export function refreshRequest(client, refreshToken) {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.secret) headers.authorization = basic(client.id, client.secret);
  else form.set('client_id', client.id);
  return { headers, body: form.toString() };
}

/** A browser session at the auth server: signs in once, then answers authorization requests with codes. */
export class BrowserSession {
  constructor(authServer) {
    this.authServer = authServer;
    this.jar = {};
  }

  async get(url) {
    const response = await fetch(new URL(url, this.authServer), { redirect: 'manual', headers: { cookie: cookieHeader(this.jar) } });
    keepCookies(this.jar, response.headers.getSetCookie());
    return response;
  }

  async post(url, fields) {
    const response = await fetch(new URL(url, this.authServer), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(this.jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    keepCookies(this.jar, response.headers.getSetCookie());
    return response;
  }

  /** Follows one authorization request through login and consent to the code. */
  async authorize(client, challenge, user, extra = {}) {
    let url = `/connect/authorize?${authorizeQuery(client, challenge, extra)}`;
    for (let step = 0; step < 8; step++) {
      const response = await this.get(url);
      if (response.status === 302) {
        const location = new URL(response.headers.get('location'), this.authServer);
        if (location.origin !== new URL(this.authServer).origin) {
          const code = location.searchParams.get('code');
          if (!code) throw new Error(`No code: ${location}`);
          return code;
        }
        url = location.pathname + location.search;
        continue;
      }
      const html = await response.text();
      const fields = hiddenInputs(html);
      if (html.includes('name="username"')) {
        const answer = await this.post(url, [...fields, ['username', user.name], ['password', user.password]]);
        if (answer.status !== 302) throw new Error(`Login failed (${answer.status})`);
        url = answer.headers.get('location');
      } else if (html.includes('name="decision"')) {
        const answer = await this.post(url, [...fields, ['decision', 'allow']]);
        const location = new URL(answer.headers.get('location'), this.authServer);
        return location.searchParams.get('code');
      } else {
        throw new Error(`Unexpected page (${response.status}) at ${url}`);
      }
    }
    throw new Error('Too many steps');
  }
}

/** count refresh tokens for client, each from its own code (one sign-in, then prompt=none). */
export async function prepareRefreshTokens(authServer, client, user, count, concurrency = 8) {
  const session = new BrowserSession(authServer);
  const first = pkce();
  await session.authorize(client, first.challenge, user); // signs in and gives consent once
  const tokens = [];
  const worker = async () => {
    while (tokens.length < count) {
      const { verifier, challenge } = pkce();
      const code = await session.authorize(client, challenge, user, { prompt: 'none' });
      const exchange = codeExchange(client, code, verifier);
      const response = await fetch(new URL('/connect/token', authServer), { method: 'POST', ...exchange });
      const body = await response.json();
      if (!body.refresh_token) throw new Error(`No refresh token: ${JSON.stringify(body)}`);
      tokens.push(body.refresh_token);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens.slice(0, count);
}

/**
 * The steps of one browserless login as autocannon requests: authorization request, login page,
 * login form, consent page, consent form, then the code exchanged at the token endpoint. Each
 * connection keeps its own cookies in autocannon's per-connection context; a failed step makes
 * the next setupRequest return null, which starts the sequence over.
 */
export function loginSequence(authServer, client, user, completed) {
  const origin = new URL(authServer).origin;
  // autocannon passes headers as the server spelled them.
  const header = (headers, name) => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const location = (headers) => (header(headers, 'location') ? new URL(header(headers, 'location'), authServer) : null);
  const onPage = (status, body, ctx, headers) => {
    keepCookies(ctx.jar, header(headers, 'set-cookie'));
    ctx.fields = status === 200 ? hiddenInputs(body) : null;
  };
  const onRedirect = (status, body, ctx, headers) => {
    keepCookies(ctx.jar, header(headers, 'set-cookie'));
    ctx.next = status === 302 ? location(headers) : null;
  };
  const get = (ctx) => (ctx.next ? { method: 'GET', path: ctx.next.pathname + ctx.next.search, headers: { cookie: cookieHeader(ctx.jar) } } : null);
  const post = (ctx, fields) => (ctx.fields ? {
    method: 'POST',
    path: ctx.next.pathname + ctx.next.search,
    headers: { cookie: cookieHeader(ctx.jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...ctx.fields, ...fields]).toString(),
  } : null);

  return [
    {
      setupRequest: (req, ctx) => {
        ctx.jar = {};
        ctx.pkce = pkce();
        // prompt=consent: the consent page every time, as a first sign-in would show it.
        return { ...req, method: 'GET', path: `/connect/authorize?${authorizeQuery(client, ctx.pkce.challenge, { prompt: 'consent' })}`, headers: {} };
      },
      onResponse: onRedirect,
    },
    { setupRequest: (req, ctx) => get(ctx) && { ...req, ...get(ctx) }, onResponse: onPage },
    {
      setupRequest: (req, ctx) => post(ctx, [['username', user.name], ['password', user.password]]) && { ...req, ...post(ctx, [['username', user.name], ['password', user.password]]) },
      onResponse: onRedirect,
    },
    { setupRequest: (req, ctx) => get(ctx) && { ...req, ...get(ctx) }, onResponse: onPage },
    {
      setupRequest: (req, ctx) => post(ctx, [['decision', 'allow']]) && { ...req, ...post(ctx, [['decision', 'allow']]) },
      onResponse: (status, body, ctx, headers) => {
        const target = status === 302 ? location(headers) : null;
        ctx.code = target && target.origin !== origin ? target.searchParams.get('code') : null;
      },
    },
    {
      setupRequest: (req, ctx) => (ctx.code ? { ...req, method: 'POST', path: '/connect/token', ...codeExchange(client, ctx.code, ctx.pkce.verifier) } : null),
      onResponse: (status) => { if (status === 200) completed.count++; },
    },
  ];
}
