package dev.clawauth.oauth;

import dev.clawauth.config.ClawConfig;

/**
 * A provider's OAuth endpoints and client: the built-in values, each replaceable through the config
 * keys {@code auth.oauth.<provider>.{authorizeUrl,tokenUrl,clientId,redirectUri}} so that tests and
 * enterprise proxies can point elsewhere.
 */
public record OAuthEndpoints(String authorizeUrl, String tokenUrl, String clientId, String redirectUri,
    String scope) {

  /** These defaults with the config's overrides for {@code provider} applied. */
  public OAuthEndpoints withOverrides(ClawConfig config, String provider) {
    return new OAuthEndpoints(
        config.oauthSetting(provider, "authorizeUrl").orElse(authorizeUrl),
        config.oauthSetting(provider, "tokenUrl").orElse(tokenUrl),
        config.oauthSetting(provider, "clientId").orElse(clientId),
        config.oauthSetting(provider, "redirectUri").orElse(redirectUri),
        config.oauthSetting(provider, "scope").orElse(scope));
  }
}
