package dev.clawauth.oauth;

import dev.clawauth.store.Credential;

/** A credential ready to use, and how it got that way. */
public record RefreshResult(String profileId, Credential.OAuth credential, Outcome outcome) {

  public enum Outcome {
    /** The stored access token was still good; nothing was sent. */
    FRESH,
    /** This process refreshed it at the token endpoint and stored the new tokens. */
    REFRESHED,
    /** Another process refreshed it while this one waited for the lock; its tokens were used. */
    REFRESHED_ELSEWHERE,
    /**
     * The refresh failed transiently while the stored access token was still valid: that token was
     * returned, and this process retries the refresh after a short back-off.
     */
    DEFERRED
  }

  @Override
  public String toString() {
    return "RefreshResult[" + profileId + ", " + outcome + ", expires=" + credential.expires() + "]";
  }
}
