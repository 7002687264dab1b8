package dev.clawauth.select;

import java.util.Locale;

/** Why a request with a profile failed; decides cooldown versus billing disable (spec table). */
public enum FailureReason {
  AUTH("auth"), FORMAT("format"), RATE_LIMIT("rate_limit"), BILLING("billing"), TIMEOUT("timeout"),
  UNKNOWN("unknown");

  private final String wire;

  FailureReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /**
   * Classifies an upstream answer. Returns null for a client error that is the caller's own fault
   * (a malformed body, an unknown model): failing over on it would only burn other profiles.
   */
  public static FailureReason classify(int status, String body) {
    String m = body == null ? "" : body.toLowerCase(Locale.ROOT);
    if (status == 402 || m.contains("payment required") || m.contains("insufficient credits")
        || m.contains("credit balance") || m.contains("plans & billing")) {
      return BILLING;
    }
    if (status == 429 || status == 529 || m.contains("rate limit") || m.contains("too many requests")
        || m.contains("quota exceeded") || m.contains("resource exhausted") || m.contains("usage limit")
        || m.contains("overloaded")) {
      return RATE_LIMIT;
    }
    if (status == 401 || status == 403 || m.contains("invalid api key") || m.contains("invalid token")
        || m.contains("token has expired") || m.contains("oauth token refresh failed")) {
      return AUTH;
    }
    if (status == 408 || status == 504) {
      return TIMEOUT;
    }
    if (status == 503) {
      return RATE_LIMIT;
    }
    if (m.contains("invalid request format") || (m.contains("tool_use") && m.contains("id"))) {
      return FORMAT;
    }
    if (status >= 400 && status < 500) {
      return null;
    }
    return UNKNOWN;
  }
}
