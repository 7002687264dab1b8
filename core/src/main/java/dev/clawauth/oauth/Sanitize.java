package dev.clawauth.oauth;

/**
 * Text from a remote server, stripped of control characters, of anything shaped like a key or
 * token (a token endpoint may echo the refresh token it refused) and cut short before it is shown.
 */
final class Sanitize {
  private Sanitize() {}

  static String shortText(String s) {
    return shortText(s, java.util.List.of());
  }

  /** {@link #shortText(String)}, masking also each of {@code sent}: what the request carried. */
  static String shortText(String s, java.util.Collection<String> sent) {
    return s == null ? "" : dev.clawauth.credentials.SecretFilter.shortMessage(s, sent);
  }
}
