package dev.clawauth.store;

import java.io.IOException;

/**
 * The store cannot be reached now (a database that is down). What was read from it before is still
 * the latest known state, so a long-running reader may keep using it, read-only, until it is back.
 * The message names the store (never a password).
 */
public class StoreUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
