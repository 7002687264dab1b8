package dev.clawauth.gateway;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client exchange. Only one party may answer it (the handler, or the read-timeout timer), so
 * answering first claims it.
 */
final class Call {
  final HttpExchange ex;
  final String path;
  final String agentId;
  private final AtomicBoolean answered = new AtomicBoolean();

  Call(HttpExchange ex, String path, String agentId) {
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
    return ex.getRequestHeaders().getFirst(name);
  }

  /** Sends a complete body, unless someone answered already. */
  void send(int status, String contentType, byte[] body) throws IOException {
    if (!claim()) {
      return;
    }
    sendClaimed(status, contentType, body, false);
  }

  void sendClaimed(int status, String contentType, byte[] body, boolean closeConnection) throws IOException {
    ex.getResponseHeaders().set("content-type", contentType);
    if (closeConnection) {
      ex.getResponseHeaders().set("connection", "close");
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      OutputStream out = ex.getResponseBody();
      out.write(body);
      out.flush();
    }
  }

  void error(Api dialect, int status, String message) throws IOException {
    send(status, "application/json", dialect.error(status, message));
  }
}
