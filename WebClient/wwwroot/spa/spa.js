// The public-client variant of the authorization code flow, in plain JavaScript.
// Tokens live in this closure only. sessionStorage holds the PKCE verifier and state across the
// redirect to the auth server, and is cleared as soon as the code is exchanged.
(() => {
    "use strict";

    const pending = "oauthdemo.spa.pending";
    let accessToken = null; // memory only
    let refreshToken = null; // memory only; rotated by the auth server on every use
    let idTokenClaims = null; // for the name in the header; the API trusts only the access token

    const $ = (id) => document.getElementById(id);

    function base64url(bytes) {
        let text = "";
        for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
        return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    function randomString(byteCount) {
        return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
    }

    // RFC 7636 §4.2: code_challenge = BASE64URL(SHA-256(ASCII(code_verifier))).
    async function s256(verifier) {
        return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    }

    // The inspector below the page: this page's own requests and answers, tokens masked. The
    // authorization request is kept in sessionStorage with the PKCE values, across the redirect.
    const journal = [];

    function mask(value) {
        return value ? `${value.slice(0, 10)}… (masked; ${value.length} characters)` : value;
    }

    // One time format, the BFF inspector's: UTC with milliseconds.
    function readable(date) {
        return date.toISOString().replace("T", " ").replace("Z", " UTC");
    }

    function relative(seconds) {
        const minutes = Math.round((seconds * 1000 - Date.now()) / 60000);
        if (minutes === 0) return "just now";
        return minutes > 0 ? `in ${minutes} min` : `${-minutes} min ago`;
    }

    function record(title, request, fields, tokens = []) {
        journal.push({ title, at: new Date(), request, fields, tokens });
        render();
    }

    function element(tag, text, className) {
        const e = document.createElement(tag);
        if (text !== undefined) e.textContent = text;
        if (className) e.className = className;
        return e;
    }

    function render() {
        const list = $("journal");
        list.replaceChildren();
        for (const entry of journal) {
            const item = element("li", undefined, "step");
            item.dataset.testid = "spa-step";
            const head = element("div", undefined, "step-head");
            head.append(element("h3", entry.title), element("time", readable(entry.at)));
            item.append(head, element("pre", entry.request, "url"));
            const table = element("table", undefined, "params");
            for (const [name, value] of Object.entries(entry.fields)) {
                if (value === undefined || value === null || value === "") continue;
                const row = table.insertRow();
                row.insertCell().append(element("code", name));
                row.insertCell().append(element("code", String(value)));
            }
            item.append(table);
            for (const [name, claims] of entry.tokens) {
                item.append(element("h4", `${name}: claims (decoded; the token itself stays in memory)`), element("pre", JSON.stringify(claims, null, 2)));
                const times = element("ul", undefined, "times");
                for (const claim of ["iat", "nbf", "auth_time", "exp"]) {
                    if (typeof claims[claim] !== "number") continue;
                    const when = relative(claims[claim]);
                    const words = claim === "exp" ? (when.endsWith("ago") ? `expired ${when}` : `expires ${when}`) : when;
                    times.append(element("li", `${claim} ${claims[claim]} = ${readable(new Date(claims[claim] * 1000))} (${words})`));
                }
                item.append(times);
            }
            list.append(item);
        }
        $("inspector").hidden = journal.length === 0;
    }

    function showError(message) {
        $("error").textContent = message;
        $("error").hidden = false;
    }

    async function loadConfig() {
        const response = await fetch("/spa/config.json");
        if (!response.ok) throw new Error("Could not load /spa/config.json");
        return response.json();
    }

    async function discover(config) {
        const response = await fetch(new URL(".well-known/openid-configuration", config.authority));
        if (!response.ok) throw new Error("Could not load the auth server's discovery document");
        return response.json();
    }

    async function signIn(config) {
        const discovery = await discover(config);
        const verifier = randomString(32);
        const state = randomString(16);
        const nonce = randomString(16); // binds the ID token to this request (OIDC Core §3.1.2.1)
        const url = new URL(discovery.authorization_endpoint);
        url.search = new URLSearchParams({
            client_id: config.clientId,
            response_type: "code",
            redirect_uri: config.redirectUri,
            scope: config.scope,
            state,
            nonce,
            code_challenge: await s256(verifier),
            code_challenge_method: "S256",
        }).toString();
        const sent = { title: "Authorization request", request: `GET ${url.origin}${url.pathname}`, fields: Object.fromEntries(url.searchParams), at: new Date().toISOString() };
        sessionStorage.setItem(pending, JSON.stringify({ verifier, state, nonce, sent }));
        location.assign(url);
    }

    async function completeSignIn(config, params) {
        const saved = JSON.parse(sessionStorage.getItem(pending) || "null");
        sessionStorage.removeItem(pending);
        history.replaceState(null, "", location.pathname); // the code must not stay in the address bar

        // state first: until it matches, nothing in this response (not even an error) came from
        // our request, and showing it would let anyone put text on this page (CSRF).
        if (!saved || params.get("state") !== saved.state) throw new Error("The state does not match: this response was not for this page.");
        journal.push({ ...saved.sent, at: new Date(saved.sent.at), tokens: [] });
        record("Authorization response", `GET ${location.origin}${location.pathname}`,
            { code: mask(params.get("code")), state: params.get("state"), iss: params.get("iss"), error: params.get("error") });
        const discovery = await discover(config);
        // RFC 9207: a server that says it sends iss must send its own, or the response is a mix-up.
        if (discovery.authorization_response_iss_parameter_supported ? params.get("iss") !== discovery.issuer
            : params.has("iss") && params.get("iss") !== discovery.issuer) throw new Error("The response came from an unexpected issuer.");
        if (params.get("error")) throw new Error(`The auth server said ${params.get("error")}: ${params.get("error_description") || ""}`);

        const response = await fetch(discovery.token_endpoint, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
                grant_type: "authorization_code",
                code: params.get("code"),
                redirect_uri: config.redirectUri,
                client_id: config.clientId,
                code_verifier: saved.verifier,
            }),
        });
        record("Token request", `POST ${discovery.token_endpoint}`,
            { grant_type: "authorization_code", code: mask(params.get("code")), redirect_uri: config.redirectUri, client_id: config.clientId, code_verifier: mask(saved.verifier) });
        const tokens = await readTokens(response);
        recordTokens("Token response", discovery, tokens);
        // The ID token came straight from the token endpoint over TLS, so its signature need not
        // be checked here (OIDC Core §3.1.3.7); its issuer, audience and nonce must be.
        const claims = decodePayload(tokens.id_token);
        if (claims.iss !== discovery.issuer) throw new Error("The ID token's issuer is not the auth server.");
        if (![claims.aud].flat().includes(config.clientId)) throw new Error("The ID token is not for this client.");
        if (claims.nonce !== saved.nonce) throw new Error("The ID token's nonce is not the one this page sent: it answers another request.");
        keep(tokens);
    }

    function recordTokens(title, discovery, tokens) {
        const decoded = [];
        if (tokens.id_token) decoded.push(["ID token", decodePayload(tokens.id_token)]);
        if (tokens.access_token?.split(".").length === 3) decoded.push(["Access token", decodePayload(tokens.access_token)]);
        record(title, title === "Refresh" ? `POST ${discovery.token_endpoint} (grant_type=refresh_token)` : `The answer of POST ${discovery.token_endpoint}`,
            { token_type: tokens.token_type, expires_in: tokens.expires_in, scope: tokens.scope, access_token: mask(tokens.access_token), refresh_token: mask(tokens.refresh_token), id_token: mask(tokens.id_token) },
            decoded);
    }

    function decodePayload(jwt) {
        if (!jwt) throw new Error("The token response has no ID token.");
        return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    }

    async function readTokens(response) {
        const tokens = await response.json();
        if (!response.ok) throw new Error(`Token request failed: ${tokens.error} ${tokens.error_description || ""}`);
        return tokens;
    }

    function keep(tokens) {
        accessToken = tokens.access_token;
        refreshToken = tokens.refresh_token ?? null;
        if (tokens.id_token) idTokenClaims = decodePayload(tokens.id_token);
    }

    // A public client redeems its refresh token with client_id only; the server rotates it, so the
    // one just spent is dead, and presenting it again would revoke the whole family (RFC 9700 §4.14.2).
    async function refresh(config) {
        const discovery = await discover(config);
        const response = await fetch(discovery.token_endpoint, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: config.clientId }),
        });
        const tokens = await readTokens(response);
        recordTokens("Refresh", discovery, tokens);
        // A refreshed ID token must be about the same user, from the same issuer (OIDC Core §12.2).
        const claims = tokens.id_token ? decodePayload(tokens.id_token) : null;
        if (claims && (claims.iss !== discovery.issuer || claims.sub !== idTokenClaims?.sub)) throw new Error("The refreshed ID token is not about the user who signed in.");
        keep(tokens);
        $("me").textContent = await callApi(config, "api/me");
        $("status").textContent = `Refreshed at ${new Date().toLocaleTimeString()}: a new access token and a new refresh token, both in memory.`;
    }

    async function callApi(config, path) {
        const url = new URL(path, config.api);
        const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
        const text = await response.text();
        record(`API call: GET /${path}`, `GET ${url}`,
            { Authorization: `Bearer ${mask(accessToken)}`, status: response.status, "WWW-Authenticate": response.headers.get("WWW-Authenticate"), answer: text.length > 400 ? `${text.slice(0, 400)}…` : text });
        if (!response.ok) return `${response.status} ${response.headers.get("WWW-Authenticate") || ""}\n${text}`;
        return JSON.stringify(JSON.parse(text), null, 2);
    }

    async function callBoth(config) {
        $("me").textContent = await callApi(config, "api/me");
        $("notes").textContent = await callApi(config, "api/notes");
    }

    async function showSignedIn(config) {
        $("signin").hidden = true;
        $("signout").hidden = false;
        $("refresh").hidden = refreshToken === null;
        $("call-again").hidden = false;
        await callBoth(config);
        $("who").textContent = idTokenClaims?.name ?? idTokenClaims?.preferred_username ?? "";
        $("status").textContent = "Signed in. The access token is held in memory by this page.";
    }

    async function main() {
        const config = await loadConfig();
        $("signin").addEventListener("click", () => signIn(config).catch((e) => showError(e.message)));
        $("signout").addEventListener("click", () => location.replace(location.pathname));
        $("refresh").addEventListener("click", () => refresh(config).catch((e) => showError(e.message)));
        $("call-again").addEventListener("click", () => callBoth(config).catch((e) => showError(e.message)));
        $("signin").disabled = false; // only clickable once the page knows where to send you

        const params = new URLSearchParams(location.search);
        if (params.has("code") || params.has("error")) {
            await completeSignIn(config, params);
            await showSignedIn(config);
        }
    }

    main().catch((e) => showError(e.message));
})();
