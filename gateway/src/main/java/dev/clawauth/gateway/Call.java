package dev.clawauth.gateway;

import dev.clawauth.gateway.http.Exchange;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client exchange. Only one party may answer it, so answering first claims it: a failover
 * loop must not answer twice.
 */
final class Call {
  final Exchange ex;
  final String path;
  final String agentId;
  private final AtomicBoolean answered = new AtomicBoolean();

  Call(Exchange ex, String path, String agentId) {
    this.ex = ex;
    this.path = path;
    this.agentId = agentId;
  }

  boolean claim() {
    return answered.compareAndSet(false, true);
  }

  boolean answered() {
    return answered.get();
  }

  String header(String name) {
    return ex.requestHeaders().first(name);
  }

  /** Sends a complete body, unless someone answered already. */
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
  }

  void error(Api dialect, int status, String message) throws IOException {
    send(status, "application/json", dialect.error(status, message));
  }
}
