package dev.clawauth.gateway.http;

import java.io.IOException;

/** What a {@link LoopServer} calls for each request, on the connection's loop thread. */
public interface LoopHandler {
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
