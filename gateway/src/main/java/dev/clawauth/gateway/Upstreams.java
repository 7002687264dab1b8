package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each provider's API lives: the real endpoints by default, {@code models.providers.<id>.baseUrl}
 * when configured.
 */
public final class Upstreams {
  private Upstreams() {}

  static final Map<String, String> DEFAULT_BASE = Map.of(
      "anthropic", "https://api.anthropic.com",
      "openai", "https://api.openai.com",
      "openrouter", "https://openrouter.ai/api",
      "openai-codex", "https://chatgpt.com/backend-api");

  public static Optional<String> base(ClawConfig config, String provider) {
    return config.providerBaseUrl(provider).or(() -> Optional.ofNullable(DEFAULT_BASE.get(provider)));
  }

  /** Whether the provider speaks the Anthropic Messages API (else the OpenAI APIs). */
  public static boolean anthropicWire(String provider) {
    return provider.equals("anthropic");
  }

  /** Parsed once per endpoint: a URI parse was a percent of the gateway's CPU per request. */
  private static final Map<String, Optional<URI>> URIS = new ConcurrentHashMap<>();

  /** The upstream URI for an API call, or null when this provider does not serve that API. */
  public static URI uri(String base, String provider, Api api) {
    if (URIS.size() > 1024) {
      URIS.clear();
    }
    return URIS.computeIfAbsent(base + "\n" + provider + "\n" + api.name(),
        k -> Optional.ofNullable(parse(base, provider, api))).orElse(null);
  }

  private static URI parse(String base, String provider, Api api) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    if (provider.equals("openai-codex")) {
      return api == Api.OPENAI_RESPONSES ? URI.create(b + "/codex/responses") : null;
    }
    if (anthropicWire(provider) != api.anthropic()) {
      return null;
    }
    String path = api.path();
    // OpenAI-style base URLs are often written with the /v1 already on them.
    if (b.endsWith("/v1")) {
      path = path.substring(3);
    }
    return URI.create(b + path);
  }
}
