package dev.clawauth.env;

import dev.clawauth.store.Providers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Which environment variables hold a provider's credential, first set wins (spec: store.md). */
public final class ProviderEnvVars {
  private ProviderEnvVars() {}

  private static final Map<String, List<String>> VARS = new LinkedHashMap<>();

  static {
    VARS.put("anthropic", List.of("ANTHROPIC_OAUTH_TOKEN", "ANTHROPIC_API_KEY"));
    VARS.put("openai", List.of("OPENAI_API_KEY"));
    VARS.put("openrouter", List.of("OPENROUTER_API_KEY"));
    VARS.put("google", List.of("GEMINI_API_KEY"));
    VARS.put("github-copilot", List.of("COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"));
    for (String p : List.of("groq", "cerebras", "xai", "mistral", "moonshot", "minimax", "venice",
        "synthetic", "deepgram")) {
      VARS.put(p, List.of(p.toUpperCase(Locale.ROOT) + "_API_KEY"));
    }
    VARS.put("zai", List.of("ZAI_API_KEY", "Z_AI_API_KEY"));
    VARS.put("vercel-ai-gateway", List.of("AI_GATEWAY_API_KEY"));
    VARS.put("kimi-code", List.of("KIMICODE_API_KEY"));
    VARS.put("opencode", List.of("OPENCODE_API_KEY", "OPENCODE_ZEN_API_KEY"));
    VARS.put("chutes", List.of("CHUTES_OAUTH_TOKEN", "CHUTES_API_KEY"));
    VARS.put("qwen-portal", List.of("QWEN_OAUTH_TOKEN", "QWEN_PORTAL_API_KEY"));
  }

  public static List<String> forProvider(String provider) {
    return VARS.getOrDefault(Providers.normalize(provider), List.of());
  }

  public static Map<String, List<String>> all() {
    return VARS;
  }

  /** Variables whose value is a subscription/OAuth token rather than an API key. */
  public static boolean isToken(String var) {
    return var.endsWith("_OAUTH_TOKEN") || var.equals("GH_TOKEN") || var.equals("GITHUB_TOKEN")
        || var.equals("COPILOT_GITHUB_TOKEN");
  }
}
