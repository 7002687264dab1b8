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

  /**
   * OpenClaw's masking (first 8 + "..." + last 8 for long values, 2 + 2 up to 16 characters, 1 + 1
   * up to 6), except that at most a quarter of the value is shown on each side: OpenClaw's rule
   * shows 16 of a 17-character secret. Values of 32 characters and more, every real key, are
   * masked exactly as OpenClaw masks them.
   */
  public String masked() {
    return mask(value);
  }

  public static String mask(String raw) {
    String v = raw == null ? "" : raw.trim();
    int n = v.length();
    if (n == 0) {
      return "missing";
    }
    int openClaw = n <= 6 ? 1 : n <= 16 ? 2 : 8;
    int shown = Math.min(openClaw, n / 4);
    return shown == 0 ? "..." : v.substring(0, shown) + "..." + v.substring(n - shown);
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
