package dev.clawauth.gateway;

import dev.clawauth.gateway.http.LoopExchange;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * One client exchange, on its connection's event loop. Only one party may answer it, so answering
 * first claims it: a failover walk must not answer twice. It ends once, however it ends (answered,
 * streamed to the end, or the client gone), and ending it frees its place among the concurrent
 * requests.
 */
final class Call {
  final LoopExchange ex;
  final String path;
  final String agentId;
  /** The client key that sent it; null for the gateway token. */
  dev.clawauth.gateway.keys.ClientKey client;
  /** Counts the tokens of a client key's answer; null for the gateway token. */
  ClientAccess.Meter meter;
  private final Runnable onEnd;
  private boolean answered;
  private boolean ended;
  private boolean detached;

  Call(LoopExchange ex, String path, String agentId, Runnable onEnd) {
    this.ex = ex;
    this.path = path;
    this.agentId = agentId;
    this.onEnd = onEnd;
  }

  boolean claim() {
    if (answered) {
      return false;
    }
    answered = true;
    return true;
  }

  boolean answered() {
    return answered;
  }

  /** The answer comes later, from a callback on the loop: returning from the handler does not end it. */
  void detach() {
    detached = true;
  }

  /** After all the answer is the current turn's on the loop: returning from it ends the call unless answered. */
  void attach() {
    detached = false;
  }

  /**
   * Runs {@code work}, which may block, on {@code blocking}, then {@code then} back on this call's
   * loop unless the call ended meanwhile (the client left). Until then the call is detached.
   */
  void offLoop(Executor blocking, Runnable work, Runnable then) {
    detach();
    blocking.execute(() -> {
      try {
        work.run();
      } finally {
        ex.loop().execute(() -> {
          if (!ended) {
            then.run();
          }
        });
      }
    });
  }

  boolean detached() {
    return detached;
  }

  boolean ended() {
    return ended;
  }

  /** Completes the exchange (a bare 500 if nothing was sent) and frees its place; once. */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      ex.end();
    } finally {
      onEnd.run();
    }
  }

  String header(String name) {
    return ex.requestHeaders().first(name);
  }

  /** Sends a complete body and ends the exchange, unless someone answered already. */
  void send(int status, String contentType, byte[] body) throws IOException {
    if (!claim()) {
      return;
    }
    sendClaimed(status, contentType, body, false);
  }

  void sendClaimed(int status, String contentType, byte[] body, boolean closeConnection) throws IOException {
    ex.responseHeaders().set("content-type", contentType);
    if (closeConnection) {
      ex.closeAfter();
    }
    ex.sendHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.responseBody().write(body);
    }
    end();
  }

  void error(Api dialect, int status, String message) throws IOException {
    send(status, "application/json", dialect.error(status, message));
  }
}
