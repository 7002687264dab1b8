package dev.clawauth.gateway.translate;

/** Tokens a provider reported for one call; zero where it reported none. */
public record TokenUsage(long input, long output) {
  public static final TokenUsage NONE = new TokenUsage(0, 0);
}
