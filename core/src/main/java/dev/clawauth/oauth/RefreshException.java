package dev.clawauth.oauth;

/**
 * A refresh that did not produce a token. {@link #terminal()} means retrying cannot help (the
 * refresh token was revoked or rejected: a new login is needed); otherwise it was transient.
 * Messages never contain token values.
 */
public class RefreshException extends Exception {
  private final String profileId;
  private final boolean terminal;

  public RefreshException(String profileId, String message, boolean terminal) {
    super(text(profileId, message));
    this.profileId = profileId;
    this.terminal = terminal;
  }

  public RefreshException(String profileId, String message, boolean terminal, Throwable cause) {
    super(text(profileId, message), cause);
    this.profileId = profileId;
    this.terminal = terminal;
  }

  private static String text(String profileId, String message) {
    return "OAuth refresh failed for " + profileId + ": " + message;
  }

  public String profileId() {
    return profileId;
  }

  public boolean terminal() {
    return terminal;
  }
}
