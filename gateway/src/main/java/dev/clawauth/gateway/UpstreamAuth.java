package dev.clawauth.gateway;

import dev.clawauth.store.Secret;

/**
 * The credential chosen for one upstream call. {@code profileId} is null for the environment
 * credential (which is never cooled down).
 */
public record UpstreamAuth(String provider, String profileId, Kind kind, Secret secret, String accountId,
    String label) {

  public enum Kind {
    /** Anthropic {@code x-api-key}. */
    ANTHROPIC_API_KEY,
    /** Anthropic subscription (setup-token or Claude OAuth): bearer plus Claude Code headers. */
    ANTHROPIC_SUBSCRIPTION,
    /** ChatGPT/Codex OAuth: bearer plus account header. */
    CODEX_OAUTH,
    /** Any OpenAI-style bearer key or token. */
    BEARER
  }

  public boolean fromStore() {
    return profileId != null;
  }
}
