package dev.clawauth.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A one-shot HTTP listener on the loopback port of the redirect URI that waits for the browser's
 * redirect. Other paths get 404; a wrong {@code state} gets 400 "State mismatch" and fails the
 * login; a request without {@code code} gets 400; an {@code error=…} redirect fails the login; the
 * first good redirect gets a short page and ends the wait.
 */
public final class CallbackServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final CompletableFuture<String> code = new CompletableFuture<>();
  private final String path;
  private final String expectedState;

  private CallbackServer(HttpServer server, ExecutorService executor, String path, String expectedState) {
    this.server = server;
    this.executor = executor;
    this.path = path;
    this.expectedState = expectedState;
  }

  /**
   * Binds {@code 127.0.0.1:<port of redirectUri>} and starts listening.
   *
   * @throws BindException when the port is taken (the caller falls back to pasting)
   */
  public static CallbackServer start(String redirectUri, String expectedState) throws IOException {
    URI uri = URI.create(redirectUri);
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "clawauth-oauth-callback");
      t.setDaemon(true);
      return t;
    });
    CallbackServer cb = new CallbackServer(server, executor, path, expectedState);
    server.createContext("/", cb::handle);
    server.setExecutor(executor);
    server.start();
    return cb;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) || !path.equals(ex.getRequestURI().getPath())) {
        respond(ex, 404, "Not found.");
        return;
      }
      Map<String, String> q = UrlForms.decode(ex.getRequestURI().getRawQuery());
      String error = q.get("error");
      if (error != null && !error.isBlank()) {
        respond(ex, 400, "Authorization failed (" + Sanitize.shortText(error) + "). Return to your terminal.");
        code.completeExceptionally(LoginException.denied(error, q.get("error_description")));
        return;
      }
      if (!expectedState.equals(q.get("state"))) {
        respond(ex, 400, "State mismatch");
        code.completeExceptionally(new LoginException(
            "State mismatch: the browser returned from another login attempt. Nothing was saved; start the login again."));
        return;
      }
      String c = q.get("code");
      if (c == null || c.isBlank()) {
        respond(ex, 400, "Missing authorization code");
        return;
      }
      respond(ex, 200, "Authentication successful. Return to your terminal.");
      code.complete(c);
    }
  }

  private static void respond(HttpExchange ex, int status, String message) throws IOException {
    String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Clawauth</title></head>"
        + "<body><p>" + message.replace("&", "&amp;").replace("<", "&lt;") + "</p></body></html>";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Waits for the redirect and returns the authorization code.
   *
   * @throws LoginException on timeout, a denied consent or a state mismatch
   */
  public String await(Duration timeout) throws LoginException, IOException {
    try {
      return code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new LoginException("Timed out after " + describe(timeout)
          + " waiting for the browser to return to " + "http://localhost:" + port() + path
          + ". Nothing was saved; run the login again, or use --paste.");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LoginException l) {
        throw l;
      }
      throw new IOException("the callback listener failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the browser", e);
    }
  }

  private static String describe(Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 && s > 0 ? (s / 60) + " min" : s + " s";
  }

  @Override
  public void close() {
    // A delay of 0 would cut off the success page still being written to the browser.
    server.stop(1);
    executor.shutdownNow();
  }
}
