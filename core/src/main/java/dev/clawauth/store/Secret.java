package dev.clawauth.store;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A credential value. {@link #toString()} is the masked form, so a secret that reaches a log line,
 * an exception message or a string concatenation by mistake is printed masked.
 */
public record Secret(String value) {

  public Secret {
    value = value == null ? "" : value;
  }

  public boolean isEmpty() {
    return value.isBlank();
  }

  /** The spec's masking rule: first 8 + "..." + last 8 for long values, shorter cuts for short ones. */
  public String masked() {
    return mask(value);
  }

  public static String mask(String raw) {
    String v = raw == null ? "" : raw.trim();
    int n = v.length();
    if (n == 0) {
      return "missing";
    }
    if (n <= 6) {
      return v.charAt(0) + "..." + v.charAt(n - 1);
    }
    if (n <= 16) {
      return v.substring(0, 2) + "..." + v.substring(n - 2);
    }
    return v.substring(0, 8) + "..." + v.substring(n - 8);
  }

  /** Constant-time comparison, for tokens that guard something. */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return masked();
  }
}
