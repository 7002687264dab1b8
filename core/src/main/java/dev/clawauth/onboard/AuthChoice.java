package dev.clawauth.onboard;

import dev.clawauth.config.ClawConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The onboarding auth choices, named as the 2026.1 {@code onboard --auth-choice} names them, with the
 * provider each stores, the profile id it writes and the default model it suggests.
 */
public enum AuthChoice {
  API_KEY("apiKey", "anthropic", Method.API_KEY, "Anthropic API key", ClawConfig.DEFAULT_MODEL),
  SETUP_TOKEN("setup-token", "anthropic", Method.TOKEN,
      "Anthropic setup-token (Claude Pro/Max subscription)", ClawConfig.DEFAULT_MODEL),
  OPENAI_CODEX("openai-codex", "openai-codex", Method.OAUTH,
      "OpenAI Codex (ChatGPT subscription, browser login)", "openai-codex/gpt-5.2"),
  OPENROUTER_API_KEY("openrouter-api-key", "openrouter", Method.API_KEY, "OpenRouter API key",
      "openrouter/anthropic/claude-opus-4.5"),
  OPENAI_API_KEY("openai-api-key", "openai", Method.API_KEY, "OpenAI API key", "openai/gpt-5.2"),
  GEMINI_API_KEY("gemini-api-key", "google", Method.API_KEY, "Google Gemini API key",
      "google/gemini-3-pro-preview"),
  AI_GATEWAY_API_KEY("ai-gateway-api-key", "vercel-ai-gateway", Method.API_KEY,
      "Vercel AI Gateway API key", "vercel-ai-gateway/anthropic/claude-opus-4.5"),
  MOONSHOT_API_KEY("moonshot-api-key", "moonshot", Method.API_KEY, "Moonshot API key",
      "moonshot/kimi-k2-0905-preview"),
  KIMI_CODE_API_KEY("kimi-code-api-key", "kimi-code", Method.API_KEY, "Kimi Code API key",
      "kimi-code/kimi-for-coding"),
  ZAI_API_KEY("zai-api-key", "zai", Method.API_KEY, "Z.AI API key", "zai/glm-4.7"),
  MINIMAX_API("minimax-api", "minimax", Method.API_KEY, "MiniMax API key", "minimax/MiniMax-M2.1"),
  SYNTHETIC_API_KEY("synthetic-api-key", "synthetic", Method.API_KEY, "Synthetic API key",
      "synthetic/hf:MiniMaxAI/MiniMax-M2.1"),
  OPENCODE_ZEN("opencode-zen", "opencode", Method.API_KEY, "OpenCode Zen API key",
      "opencode/claude-opus-4-5"),
  /** A token for any provider ({@code --token-provider}). */
  TOKEN("token", null, Method.TOKEN, "Token for another provider", null),
  SKIP("skip", null, Method.NONE, "Skip (store no credential now)", null);

  /** How a choice obtains its credential. */
  public enum Method {
    API_KEY, TOKEN, OAUTH, NONE
  }

  private final String wire;
  private final String provider;
  private final Method method;
  private final String label;
  private final String defaultModel;

  AuthChoice(String wire, String provider, Method method, String label, String defaultModel) {
    this.wire = wire;
    this.provider = provider;
    this.method = method;
    this.label = label;
    this.defaultModel = defaultModel;
  }

  /** The {@code --auth-choice} value. */
  public String wire() {
    return wire;
  }

  /** The provider it stores for; null for {@link #TOKEN} (given separately) and {@link #SKIP}. */
  public String provider() {
    return provider;
  }

  public Method method() {
    return method;
  }

  public String label() {
    return label;
  }

  /** The model to make the default when none is set, or null. */
  public String defaultModel() {
    return defaultModel;
  }

  /** Default model for a provider chosen at run time ({@link #TOKEN}). */
  public static Optional<String> defaultModelFor(String provider) {
    return Arrays.stream(values()).filter(c -> provider.equals(c.provider) && c.defaultModel != null)
        .map(c -> c.defaultModel).findFirst();
  }

  /**
   * Whether every choice that stores {@code provider} takes an API key (openrouter, openai, ...):
   * such a provider issues no token, so a "token" pasted for it is its API key.
   */
  public static boolean apiKeyOnly(String provider) {
    String p = dev.clawauth.store.Providers.normalize(provider);
    var own = Arrays.stream(values()).filter(c -> p.equals(c.provider)).toList();
    return !own.isEmpty() && own.stream().allMatch(c -> c.method == Method.API_KEY);
  }

  /** The profile id this choice writes when none is given. */
  public String defaultProfileId(String tokenProvider) {
    return switch (this) {
      case TOKEN -> tokenProvider + ":manual";
      default -> provider + ":default";
    };
  }

  /** Accepts the 2026.1 names, case-insensitively; claude-cli, codex-cli, chutes are not offered. */
  public static Optional<AuthChoice> parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.wire.toLowerCase(Locale.ROOT).equals(t)).findFirst();
  }

  public static String names() {
    return String.join("|", Arrays.stream(values()).map(AuthChoice::wire).toList());
  }
}
