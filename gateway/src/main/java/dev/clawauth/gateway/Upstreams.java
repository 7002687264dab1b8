package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.store.CodexIds;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each provider's API lives and which API it speaks: the real endpoints by default,
 * {@code models.providers.<id>.baseUrl} and {@code models.providers.<id>.api} when configured.
 */
public final class Upstreams {
  private Upstreams() {}

  static final Map<String, String> DEFAULT_BASE = Map.of(
      "anthropic", "https://api.anthropic.com",
      "openai", "https://api.openai.com",
      "openrouter", "https://openrouter.ai/api",
      "openai-codex", "https://chatgpt.com/backend-api");

  /** The wire a provider speaks: which client endpoints it serves, and the upstream path. */
  public enum Wire {
    /** Anthropic Messages: {@code /v1/messages} and {@code /v1/messages/count_tokens}. */
    ANTHROPIC("/v1/messages"),
    /** Both OpenAI APIs: a provider without {@code api}. */
    OPENAI("/v1/chat/completions"),
    /** {@code api: "openai-completions"}: Chat Completions only. */
    OPENAI_COMPLETIONS("/v1/chat/completions"),
    /** {@code api: "openai-responses"}: Responses only. */
    OPENAI_RESPONSES("/v1/responses"),
    /** ChatGPT's Codex backend: Responses only, at {@code <base>/codex/responses}. */
    CODEX("/v1/responses");

    private final String endpoint;

    Wire(String endpoint) {
      this.endpoint = endpoint;
    }

    /** The gateway endpoint to call for this wire, named when another one was called. */
    public String endpoint() {
      return endpoint;
    }

    public boolean serves(Api api) {
      return switch (this) {
        case ANTHROPIC -> api.anthropic();
        case OPENAI -> !api.anthropic();
        case OPENAI_COMPLETIONS -> api == Api.OPENAI_CHAT;
        case OPENAI_RESPONSES, CODEX -> api == Api.OPENAI_RESPONSES;
      };
    }
  }

  /**
   * OpenClaw's other {@code api} values: valid in openclaw.json, but not wires this gateway proxies.
   * Kept apart from unknown values only to word the error.
   */
  static final Set<String> OTHER_OPENCLAW_APIS = Set.of("google-generative-ai", "google-vertex",
      "github-copilot", "bedrock-converse-stream", "ollama", "azure-openai-responses");

  public static Optional<String> base(ClawConfig config, String provider) {
    return config.providerBaseUrl(provider).or(() -> Optional.ofNullable(DEFAULT_BASE.get(provider)));
  }

  /**
   * The provider's wire: its configured {@code api}, else by provider id. Empty when {@code api} is
   * set to a value this gateway does not proxy: guessing would send the request in the wrong shape.
   */
  public static Optional<Wire> wire(ClawConfig config, String provider) {
    return wire(config.providerApi(provider), provider);
  }

  /** A model's wire: its own {@code api}, else its provider's (see {@link ClawConfig#modelApi}). */
  public static Optional<Wire> wire(ClawConfig config, ModelRef model) {
    return wire(config.modelApi(model.provider(), model.model()).map(ClawConfig.ApiSetting::value), model.provider());
  }

  /** The wire for {@code api} as written (see {@link ClawConfig#modelApi}), else by provider id. */
  static Optional<Wire> wire(Optional<String> api, String provider) {
    if (api.isEmpty()) {
      return Optional.of(provider.equals("anthropic") ? Wire.ANTHROPIC
          : provider.equals(CodexIds.CODEX) ? Wire.CODEX : Wire.OPENAI);
    }
    return Optional.ofNullable(switch (api.get()) {
      case "anthropic-messages" -> Wire.ANTHROPIC;
      case "openai-completions" -> Wire.OPENAI_COMPLETIONS;
      case "openai-responses" -> Wire.OPENAI_RESPONSES;
      // OpenClaw's name for the ChatGPT backend, before and after its rename.
      case "openai-codex-responses", "openai-chatgpt-responses" -> Wire.CODEX;
      default -> null;
    });
  }

  /** Parsed once per endpoint: a URI parse was a percent of the gateway's CPU per request. */
  private static final Map<UriKey, Optional<URI>> URIS = new ConcurrentHashMap<>();

  private record UriKey(String base, Wire wire, Api api) {}

  /** The upstream URI for an API call, or null when a provider on this wire does not serve that API. */
  public static URI uri(String base, Wire wire, Api api) {
    if (URIS.size() > 1024) {
      URIS.clear();
    }
    return URIS.computeIfAbsent(new UriKey(base, wire, api),
        k -> Optional.ofNullable(parse(base, wire, api))).orElse(null);
  }

  private static URI parse(String base, Wire wire, Api api) {
    if (!wire.serves(api)) {
      return null;
    }
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    if (wire == Wire.CODEX) {
      return URI.create(b + "/codex/responses");
    }
    String path = api.path();
    // Base URLs are often written with the /v1 already on them.
    if (b.endsWith("/v1")) {
      path = path.substring(3);
    }
    return URI.create(b + path);
  }
}
