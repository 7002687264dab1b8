package dev.clawauth.oauth;

import dev.clawauth.select.FailureReason;

/**
 * The token endpoint did not give tokens. {@link #terminal()} means the grant itself was refused
 * ({@code invalid_grant}, a revoked token, HTTP 401/403): retrying cannot help and a new login is
 * needed. Otherwise the failure was transient (network, timeout, 5xx, 429) and {@link #reason()}
 * says which cooldown class it belongs to. Messages never contain token values.
 */
public class TokenEndpointException extends Exception {
  private final int status;
  private final String error;
  private final boolean terminal;
  private final FailureReason reason;

  public TokenEndpointException(String message, int status, String error, boolean terminal,
      FailureReason reason, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.error = error;
    this.terminal = terminal;
    this.reason = reason;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The OAuth {@code error} code of the answer, or null. */
  public String error() {
    return error;
  }

  public boolean terminal() {
    return terminal;
  }

  public FailureReason reason() {
    return reason;
  }
}
