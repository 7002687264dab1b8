package dev.clawauth.gateway.http;

import java.io.IOException;

/** What the server calls for each request. */
public interface Handler {
  /** Answers one request. An exception before any answer becomes a bare 500. */
  void handle(Exchange ex) throws Exception;

  /**
   * Answers a request the server turns away itself: 400 (malformed), 408 (head not complete in
   * time), 431 (head too large) or 503 (too many connections). The request's method, path and
   * headers are there as far as they arrived; the connection closes afterwards.
   */
  void refuse(Exchange ex, int status, String message) throws IOException;
}
