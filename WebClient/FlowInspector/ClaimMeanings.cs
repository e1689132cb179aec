namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>One line on what each claim of a session (ID token and userinfo) means, for the profile page.</summary>
public static class ClaimMeanings
{
    public static string Of(string claimType) => claimType switch
    {
        "sub" => "Subject: the user's stable, unique id at the auth server. Apps key their data on it, never on the name or email.",
        "sid" => "Session id at the auth server: identifies this sign-in there, so a sign-out can end exactly this session.",
        "oi_au_id" => "OpenIddict's authorization id: the consent record behind this sign-in; revoking it revokes every token issued under it.",
        "oi_tkn_id" => "OpenIddict's id for this token, as it appears in the auth server's logs and revocation records.",
        "auth_time" => "When the user last typed the password at the auth server (seconds since 1970); max_age and re-authentication use it.",
        "amr" => "Authentication methods used: pwd means a password.",
        "acr" => "Authentication context class: how strong the sign-in was, as the auth server rates it.",
        "name" => "The user's display name, from the profile scope.",
        "preferred_username" => "The name the user signs in with; may change, so not an identifier.",
        "email" => "The user's email address, from the email scope.",
        "email_verified" => "Whether the auth server checked that the user owns the email address.",
        "given_name" or "family_name" => "Part of the user's name, from the profile scope.",
        "iss" => "Issuer: the auth server that made the token; must equal the one this app trusts.",
        "aud" => "Audience: who the token is for; an ID token's is this app's client_id.",
        "azp" => "Authorized party: the client the token was issued to.",
        "exp" => "Expiry time (seconds since 1970): the token is refused after it.",
        "iat" => "Issued-at time (seconds since 1970).",
        "nbf" => "Not-before time (seconds since 1970): the token is refused before it.",
        "nonce" => "The random value this app put in the authorization request; the ID token must carry it back (replay protection).",
        "at_hash" => "Hash of the access token issued with this ID token, binding the two together.",
        "c_hash" => "Hash of the authorization code, binding the ID token to it.",
        "s_hash" => "Hash of the state parameter, binding the ID token to this request.",
        _ => "",
    };
}
