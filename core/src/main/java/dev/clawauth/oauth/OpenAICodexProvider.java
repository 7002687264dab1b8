package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ChatGPT subscription login for {@code openai-codex}: PKCE S256 against auth.openai.com, the code
 * exchanged form-encoded, the account id read from the access token's claims (spec oauth.md). The
 * profile is stored under the era's Codex provider id ({@link CodexIds}): {@code openai} on OpenClaw
 * 2026.9's SQLite store. Endpoint overrides stay keyed by {@code auth.oauth.openai-codex}.
 */
public final class OpenAICodexProvider implements OAuthProvider {
  public static final String ID = CodexIds.CODEX;
  public static final String ACCOUNT_CLAIM = "https://api.openai.com/auth";

  /** The real endpoints; the config can replace each (see {@link OAuthEndpoints}). */
  public static final OAuthEndpoints DEFAULTS = new OAuthEndpoints(
      "https://auth.openai.com/oauth/authorize",
      "https://auth.openai.com/oauth/token",
      "app_EMoamEEZ73f0CkXaXp7hrann",
      "http://localhost:1455/auth/callback",
      "openid profile email offline_access");

  /** Sent as {@code originator}; identifies the client to the authorization server. */
  static final String ORIGINATOR = "clawauth";

  @Override
  public String provider() {
    return ID;
  }

  @Override
  public String method() {
    return "oauth";
  }

  @Override
  public String description() {
    return "ChatGPT subscription (OAuth in the browser, PKCE)";
  }

  static OAuthEndpoints endpoints(AgentContext agent) {
    return DEFAULTS.withOverrides(agent.config(), ID);
  }

  @Override
  public LoginResult login(LoginSession s) throws LoginException, IOException {
    OAuthEndpoints ep = endpoints(s.agent());
    Pkce pkce = Pkce.generate(s.random());
    Map<String, String> params = AuthorizationCodeFlow.pkceParams(ep, pkce);
    params.put("id_token_add_organizations", "true");
    params.put("codex_cli_simplified_flow", "true");
    params.put("originator", ORIGINATOR);
    String url = AuthorizationCodeFlow.authorizeUrl(ep.authorizeUrl(), params);
    String code = AuthorizationCodeFlow.obtainCode(s, url, ep.redirectUri(), pkce, true);

    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("client_id", ep.clientId());
    form.put("code", code);
    form.put("code_verifier", pkce.verifier());
    form.put("redirect_uri", ep.redirectUri());
    TokenClient.TokenResponse t = TokenClient.exchangeCode(
        () -> TokenClient.postForm(s.http(), ep.tokenUrl(), form, TokenClient.REQUEST_TIMEOUT));
    String accountId = accountId(t.accessToken());
    if (accountId == null) {
      throw new LoginException("The access token carries no ChatGPT account id (claim " + ACCOUNT_CLAIM
          + " -> chatgpt_account_id). Nothing was saved.");
    }
    String email = email(t.idToken(), t.accessToken());
    long expires = s.clock().millis() + t.expiresInSeconds() * 1000L;
    var era = s.agent().era().kind();
    String provider = CodexIds.stored(era);
    Credential.OAuth cred = new Credential.OAuth(provider, new Secret(t.accessToken()),
        new Secret(t.refreshToken()), expires, accountId, email, null);
    return new LoginResult(provider + ":" + (email == null ? "default" : email), cred, "oauth",
        CodexIds.defaultModel(era));
  }

  static String accountId(String accessToken) {
    return Jwt.text(accessToken, ACCOUNT_CLAIM, "chatgpt_account_id");
  }

  static String email(String idToken, String accessToken) {
    String e = Jwt.text(idToken, "email");
    if (e == null) {
      e = Jwt.text(accessToken, "https://api.openai.com/profile", "email");
    }
    return e;
  }

  @Override
  public Credential.OAuth refresh(AgentContext agent, HttpClient http, Credential.OAuth current, long now)
      throws TokenEndpointException, IOException {
    OAuthEndpoints ep = endpoints(agent);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", current.refresh().value());
    form.put("client_id", ep.clientId());
    TokenClient.TokenResponse t = TokenClient.postForm(http, ep.tokenUrl(), form, TokenClient.REQUEST_TIMEOUT);
    return t.renew(current, now + t.expiresInSeconds() * 1000L, accountId(t.accessToken()));
  }
}
