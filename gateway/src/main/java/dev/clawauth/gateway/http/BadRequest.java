package dev.clawauth.gateway.http;

import java.io.IOException;

/** The request breaks HTTP/1.1 in a way that makes the connection unusable: answer 400 and close. */
public final class BadRequest extends IOException {
  public BadRequest(String message) {
    super(message);
  }
}
