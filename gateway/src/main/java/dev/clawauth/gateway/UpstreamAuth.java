package dev.clawauth.gateway;

import dev.clawauth.store.Secret;

/**
 * The credential chosen for one upstream call. {@code profileId} is null for the environment
 * credential (which is never cooled down).
 */
public record UpstreamAuth(String provider, String profileId, Kind kind, Secret secret, String accountId,
    String label) {

  public enum Kind {
    /** {@code x-api-key} on the Messages API: Anthropic's, or a provider's with {@code api: "anthropic-messages"}. */
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
