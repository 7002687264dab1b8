package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal OAuth token endpoint on loopback (a smaller cousin of the CLI tests' FakeOAuthServer,
 * which lives in another module): answers {@code refresh_token} grants, form-encoded or JSON,
 * rotating the refresh token and refusing one used twice; access tokens are JWTs carrying the
 * ChatGPT account claim. Scripted failures answer the next requests instead.
 */
final class FakeTokenServer implements AutoCloseable {
  static final String CLIENT_ID = "gateway-test-client";
  static final String ACCOUNT_ID = "acct-gw-5678";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private final Deque<int[]> failures = new ArrayDeque<>();
  private final Deque<String> failureCodes = new ArrayDeque<>();
  private final AtomicInteger counter = new AtomicInteger();
  final AtomicInteger refreshRequests = new AtomicInteger();
  final AtomicInteger reused = new AtomicInteger();
  volatile long delayMs;
  volatile String latestAccess;
  volatile String latestRefresh;

  FakeTokenServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/oauth/token", this::token);
    server.start();
  }

  String tokenUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
  }

  /** Config keys pointing {@code provider}'s token endpoint and client id here. */
  String oauthConfig(String... providers) {
    StringBuilder sb = new StringBuilder("auth: { oauth: {");
    for (String p : providers) {
      sb.append(" '").append(p).append("': { tokenUrl: '").append(tokenUrl()).append("', clientId: '")
          .append(CLIENT_ID).append("' },");
    }
    return sb.append(" } },").toString();
  }

  /** A refresh token this server accepts (as if a login had happened). */
  String issueRefresh() {
    String r = "rt-gw-" + counter.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    live.add(r);
    return r;
  }

  /** The next request is answered with this status and OAuth error code. */
  synchronized FakeTokenServer thenFail(int status, String error) {
    failures.add(new int[] {status});
    failureCodes.add(error);
    return this;
  }

  static String jwt(int n) {
    ObjectNode claims = JSON.createObjectNode();
    claims.putObject("https://api.openai.com/auth").put("chatgpt_account_id", ACCOUNT_ID);
    claims.put("n", n);
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> p = new HashMap<>();
      String ct = String.valueOf(ex.getRequestHeaders().getFirst("content-type"));
      if (ct.startsWith("application/json")) {
        JSON.readTree(body).properties().forEach(e -> p.put(e.getKey(), e.getValue().asText()));
      } else {
        for (String kv : body.split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0) {
            p.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      if (!"refresh_token".equals(p.get("grant_type")) || !CLIENT_ID.equals(p.get("client_id"))) {
        send(ex, 400, "{\"error\":\"invalid_request\"}");
        return;
      }
      refreshRequests.incrementAndGet();
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      int[] fail;
      String code;
      synchronized (this) {
        fail = failures.poll();
        code = failureCodes.poll();
      }
      if (fail != null) {
        send(ex, fail[0], "{\"error\":\"" + code + "\",\"error_description\":\"scripted " + code + "\"}");
        return;
      }
      String presented = p.get("refresh_token");
      if (!used.add(presented)) {
        reused.incrementAndGet();
      }
      if (!live.remove(presented)) {
        send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or used refresh token\"}");
        return;
      }
      String access = jwt(counter.incrementAndGet());
      String refresh = issueRefresh();
      latestAccess = access;
      latestRefresh = refresh;
      send(ex, 200, "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh
          + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
