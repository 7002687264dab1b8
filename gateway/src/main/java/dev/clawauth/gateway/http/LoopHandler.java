package dev.clawauth.gateway.http;

import java.io.IOException;

/** What a {@link LoopServer} calls for each request, on the connection's loop thread. */
public interface LoopHandler {
  /** Why a request is turned away at its head. */
  record Refusal(int status, String message) {}

  /**
   * Looks at a request whose head has arrived, before its body is read (and before a
   * {@code 100 Continue}): a refusal is answered through {@link #refuse} and the body never read,
   * so that a client that may not use the server cannot make it hold bodies. {@code ex} has the
   * head only and must not be answered here; it is the exchange later handled or refused. Null
   * admits the request.
   */
  default Refusal admit(LoopExchange ex) {
    return null;
  }

  /**
   * Answers one request, whose head and whole body have arrived: within the call or later from
   * the same loop, ending with {@link LoopExchange#end}. An exception before any answer becomes a
   * bare 500; after part of one, the connection closes.
   */
  void handle(LoopExchange ex) throws Exception;

  /**
   * Answers, within the call, a request the server turns away itself: 400 (malformed), 408 (head
   * or body not complete in time), 413 (body too large), 431 (head too large) or 503 (too many
   * connections). The request's method, path and headers are there as far as they arrived; the
   * connection closes afterwards.
   */
  void refuse(LoopExchange ex, int status, String message) throws IOException;
}
