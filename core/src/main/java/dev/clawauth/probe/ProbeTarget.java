package dev.clawauth.probe;

import dev.clawauth.store.Secret;

/**
 * One credential to probe: a stored profile ({@code profileId} set) or an environment credential
 * ({@code profileId} null, {@code source} like {@code env: OPENAI_API_KEY}). {@code skipReason} is
 * set when the credential cannot be probed without changing anything (an expired OAuth access
 * token would need a refresh, and a refresh writes the store).
 *
 * @param kind {@code api_key}, {@code token} or {@code oauth}
 */
public record ProbeTarget(String provider, String profileId, String source, String kind, Secret secret,
    String accountId, String skipReason) {

  /** The name shown for this credential: the profile id, or the env source. */
  public String label() {
    return profileId != null ? profileId : source;
  }
}
