package dev.clawauth.oauth;

import java.time.Duration;

/**
 * How a login runs: {@code paste} skips the loopback callback and asks for the redirect URL;
 * {@code openBrowser} false only prints the authorize URL; {@code timeout} bounds the wait for the
 * browser's callback; {@code method} picks one of a provider's flows (null: its default).
 */
public record LoginOptions(boolean paste, boolean openBrowser, Duration timeout, String method) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public static LoginOptions defaults() {
    return new LoginOptions(false, true, DEFAULT_TIMEOUT, null);
  }
}
