package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Claude Pro/Max OAuth for {@code anthropic}: PKCE against claude.ai, the user pastes
 * {@code code#state}, and the token endpoint takes JSON bodies (spec oauth.md). Its refresh also
 * serves profiles imported from Claude Code ({@code anthropic:claude-cli}).
 */
public final class AnthropicOAuthProvider implements OAuthProvider {
  public static final String ID = "anthropic";

  public static final OAuthEndpoints DEFAULTS = new OAuthEndpoints(
      "https://claude.ai/oauth/authorize",
      "https://console.anthropic.com/v1/oauth/token",
      "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
      "https://console.anthropic.com/oauth/code/callback",
      "org:create_api_key user:profile user:inference");

  /** Anthropic's tokens are taken as expiring this much before the server says. */
  static final long EXPIRY_SAFETY_MS = 5 * 60_000L;

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
    return "Claude Pro/Max subscription (OAuth in the browser, paste code#state)";
  }

  @Override
  public boolean isDefault() {
    return false;
  }

  static OAuthEndpoints endpoints(AgentContext agent) {
    return DEFAULTS.withOverrides(agent.config(), ID);
  }

  @Override
  public LoginResult login(LoginSession s) throws LoginException, IOException {
    OAuthEndpoints ep = endpoints(s.agent());
    Pkce pkce = Pkce.generate(s.random());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", "true");
    params.putAll(AuthorizationCodeFlow.pkceParams(ep, pkce));
    String url = AuthorizationCodeFlow.authorizeUrl(ep.authorizeUrl(), params);
    // The redirect goes to Anthropic's own page, which shows code#state for the user to copy.
    String code = AuthorizationCodeFlow.obtainCode(s, url, ep.redirectUri(), pkce, false);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("client_id", ep.clientId());
    body.put("code", code);
    body.put("state", pkce.state());
    body.put("redirect_uri", ep.redirectUri());
    body.put("code_verifier", pkce.verifier());
    TokenClient.TokenResponse t = TokenClient.exchangeCode(
        () -> TokenClient.postJson(s.http(), ep.tokenUrl(), body, TokenClient.REQUEST_TIMEOUT));
    Credential.OAuth cred = new Credential.OAuth(ID, new Secret(t.accessToken()), new Secret(t.refreshToken()),
        s.clock().millis() + t.expiresInSeconds() * 1000L - EXPIRY_SAFETY_MS, null, null, null);
    return new LoginResult(ID + ":oauth", cred, "oauth", "anthropic/claude-opus-4-5");
  }

  @Override
  public Credential.OAuth refresh(AgentContext agent, HttpClient http, Credential.OAuth current, long now)
      throws TokenEndpointException, IOException {
    OAuthEndpoints ep = endpoints(agent);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "refresh_token");
    body.put("client_id", ep.clientId());
    body.put("refresh_token", current.refresh().value());
    TokenClient.TokenResponse t = TokenClient.postJson(http, ep.tokenUrl(), body, TokenClient.REQUEST_TIMEOUT);
    return t.renew(current, now + t.expiresInSeconds() * 1000L - EXPIRY_SAFETY_MS, null);
  }
}
