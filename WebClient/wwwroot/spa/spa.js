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
        sessionStorage.setItem(pending, JSON.stringify({ verifier, state }));

        const url = new URL(discovery.authorization_endpoint);
        url.search = new URLSearchParams({
            client_id: config.clientId,
            response_type: "code",
            redirect_uri: config.redirectUri,
            scope: config.scope,
            state,
            code_challenge: await s256(verifier),
            code_challenge_method: "S256",
        }).toString();
        location.assign(url);
    }

    async function completeSignIn(config, params) {
        const saved = JSON.parse(sessionStorage.getItem(pending) || "null");
        sessionStorage.removeItem(pending);
        history.replaceState(null, "", location.pathname); // the code must not stay in the address bar

        if (params.get("error")) throw new Error(`The auth server said ${params.get("error")}: ${params.get("error_description") || ""}`);
        if (!saved || params.get("state") !== saved.state) throw new Error("The state does not match: this response was not for this page.");
        if (params.get("iss") && params.get("iss") !== (await discover(config)).issuer) throw new Error("The response came from an unexpected issuer.");

        const discovery = await discover(config);
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
        keep(await readTokens(response));
    }

    async function readTokens(response) {
        const tokens = await response.json();
        if (!response.ok) throw new Error(`Token request failed: ${tokens.error} ${tokens.error_description || ""}`);
        return tokens;
    }

    function keep(tokens) {
        accessToken = tokens.access_token;
        refreshToken = tokens.refresh_token ?? null;
        if (tokens.id_token) idTokenClaims = JSON.parse(atob(tokens.id_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
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
        keep(await readTokens(response));
        $("me").textContent = await callApi(config, "api/me");
        $("status").textContent = `Refreshed at ${new Date().toLocaleTimeString()}: a new access token and a new refresh token, both in memory.`;
    }

    async function callApi(config, path) {
        const response = await fetch(new URL(path, config.api), { headers: { Authorization: `Bearer ${accessToken}` } });
        const text = await response.text();
        if (!response.ok) return `${response.status} ${response.headers.get("WWW-Authenticate") || ""}\n${text}`;
        return JSON.stringify(JSON.parse(text), null, 2);
    }

    async function showSignedIn(config) {
        $("signin").hidden = true;
        $("signout").hidden = false;
        $("refresh").hidden = refreshToken === null;
        $("me").textContent = await callApi(config, "api/me");
        $("notes").textContent = await callApi(config, "api/notes");
        $("who").textContent = idTokenClaims?.name ?? idTokenClaims?.preferred_username ?? "";
        $("status").textContent = "Signed in. The access token is held in memory by this page.";
    }

    async function main() {
        const config = await loadConfig();
        $("signin").addEventListener("click", () => signIn(config).catch((e) => showError(e.message)));
        $("signout").addEventListener("click", () => location.replace(location.pathname));
        $("refresh").addEventListener("click", () => refresh(config).catch((e) => showError(e.message)));
        $("signin").disabled = false; // only clickable once the page knows where to send you

        const params = new URLSearchParams(location.search);
        if (params.has("code") || params.has("error")) {
            await completeSignIn(config, params);
            await showSignedIn(config);
        }
    }

    main().catch((e) => showError(e.message));
})();
