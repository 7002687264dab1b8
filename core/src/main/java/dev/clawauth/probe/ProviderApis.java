package dev.clawauth.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.store.Providers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cheapest authenticated request each provider answers: a read-only listing that costs no
 * tokens. Base URLs come from {@code models.providers.<id>.baseUrl} when set (how tests point at a
 * fake server, and how a proxy is used), else from the built-in table.
 */
public final class ProviderApis {
  private ProviderApis() {}

  /** The request shapes Clawauth knows. */
  public enum Style { ANTHROPIC, OPENAI, OPENROUTER, GOOGLE }

  /** Claude Code's identity, which the API asks of subscription tokens (spec: oauth.md). */
  static final String CLAUDE_CODE_USER_AGENT = "claude-cli/2.1.2 (external, cli)";
  static final String ANTHROPIC_VERSION = "2023-06-01";
  static final String ANTHROPIC_OAUTH_BETA = "claude-code-20250219,oauth-2025-04-20";
  static final String USER_AGENT = "clawauth-probe/0.1";

  private record Known(Style style, String baseUrl) {}

  private static final Map<String, Known> BUILT_IN = Map.of(
      "anthropic", new Known(Style.ANTHROPIC, "https://api.anthropic.com"),
      "openai", new Known(Style.OPENAI, "https://api.openai.com/v1"),
      "openrouter", new Known(Style.OPENROUTER, "https://openrouter.ai/api/v1"),
      "google", new Known(Style.GOOGLE, "https://generativelanguage.googleapis.com/v1beta"),
      "groq", new Known(Style.OPENAI, "https://api.groq.com/openai/v1"),
      "cerebras", new Known(Style.OPENAI, "https://api.cerebras.ai/v1"),
      "xai", new Known(Style.OPENAI, "https://api.x.ai/v1"),
      "mistral", new Known(Style.OPENAI, "https://api.mistral.ai/v1"));

  /** Where and how to probe a provider; empty when no cheap request is known for it. */
  public record Api(Style style, String baseUrl) {

    /** The probe request for {@code target}, with its credential in the headers (never in the URL). */
    public HttpRequest request(ProbeTarget target, Duration timeout) {
      String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
      HttpRequest.Builder b = HttpRequest.newBuilder().timeout(timeout).GET()
          .header("accept", "application/json");
      String secret = target.secret().value();
      switch (style) {
        case ANTHROPIC -> {
          b.uri(URI.create(base + (base.endsWith("/v1") ? "" : "/v1") + "/models"));
          b.header("anthropic-version", ANTHROPIC_VERSION);
          if (target.kind().equals("api_key") && !KeyShapes.isAnthropicOAuthToken(secret)) {
            b.header("x-api-key", secret).header("user-agent", USER_AGENT);
          } else {
            b.header("authorization", "Bearer " + secret)
                .header("anthropic-beta", ANTHROPIC_OAUTH_BETA)
                .header("user-agent", CLAUDE_CODE_USER_AGENT)
                .header("x-app", "cli");
          }
        }
        case OPENAI -> b.uri(URI.create(base + "/models"))
            .header("authorization", "Bearer " + secret).header("user-agent", USER_AGENT);
        case OPENROUTER -> b.uri(URI.create(base + "/key"))
            .header("authorization", "Bearer " + secret).header("user-agent", USER_AGENT);
        case GOOGLE -> b.uri(URI.create(base + "/models"))
            .header("x-goog-api-key", secret).header("user-agent", USER_AGENT);
      }
      return b.build();
    }
  }

  public static Optional<Api> forProvider(String provider, ClawConfig config) {
    String p = Providers.normalize(provider);
    Optional<String> override = config.providerBaseUrl(p);
    Known known = BUILT_IN.get(p);
    if (known != null) {
      return Optional.of(new Api(known.style(), override.orElse(known.baseUrl())));
    }
    if (override.isEmpty() || p.equals("openai-codex")) {
      // The ChatGPT backend of openai-codex has no documented read-only request to spend.
      return Optional.empty();
    }
    JsonNode api = config.tree().path("models").path("providers").path(p).path("api");
    String declared = api.asText("").toLowerCase(Locale.ROOT);
    Style style = declared.startsWith("anthropic") ? Style.ANTHROPIC
        : declared.startsWith("google") ? Style.GOOGLE : Style.OPENAI;
    return Optional.of(new Api(style, override.get()));
  }
}
