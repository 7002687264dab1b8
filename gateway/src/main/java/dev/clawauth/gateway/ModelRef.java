package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.store.Providers;
import java.util.Map;

/** A model as the gateway routes it: the provider, and the model id the provider knows. */
public record ModelRef(String provider, String model) {

  public String full() {
    return provider + "/" + model;
  }

  /**
   * Resolves an alias ({@code Opus}) or an id ({@code anthropic/claude-opus-4-5}, or a bare id:
   * Anthropic on the Messages API, OpenAI on the OpenAI ones).
   */
  public static ModelRef resolve(String requested, boolean anthropicApi, ClawConfig config) {
    String m = requested.trim();
    for (Map.Entry<String, String> e : config.aliases().entrySet()) {
      if (e.getKey().equalsIgnoreCase(m)) {
        m = e.getValue();
        break;
      }
    }
    int slash = m.indexOf('/');
    if (slash > 0) {
      return new ModelRef(Providers.normalize(m.substring(0, slash)), m.substring(slash + 1));
    }
    return new ModelRef(anthropicApi ? "anthropic" : "openai", m);
  }
}
