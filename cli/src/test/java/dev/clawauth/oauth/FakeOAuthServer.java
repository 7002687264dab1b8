package dev.clawauth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OAuth authorization server on 127.0.0.1 for tests: an authorize endpoint that redirects
 * the "browser" back with a code (or with {@code error=access_denied}), and a token endpoint that
 * checks PKCE for real, rotates refresh tokens, rejects any refresh token used twice, counts
 * requests, and plays scripted failures.
 */
public final class FakeOAuthServer implements AutoCloseable {
  public static final String CLIENT_ID = "test-client";
  public static final String ACCOUNT_ID = "acct-test-1234";
  public static final String EMAIL = "user@example.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A scripted answer for the next token request, instead of the normal one. */
  public sealed interface Script permits Fail, Hang {}

  /** Answer with this status and OAuth error code; nothing is consumed. */
  public record Fail(int status, String error) implements Script {}

  /** Never answer (until the server closes); nothing is consumed. Simulates a stuck network. */
  public record Hang() implements Script {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Script> script = new ArrayDeque<>();
  private final Map<String, String[]> codes = new ConcurrentHashMap<>();
  private final Set<String> usedRefresh = ConcurrentHashMap.newKeySet();
  private final Set<String> validRefresh = ConcurrentHashMap.newKeySet();
  private final AtomicInteger counter = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  public final AtomicInteger authorizeRequests = new AtomicInteger();
  public final AtomicInteger codeExchanges = new AtomicInteger();
  /** Every refresh_token grant request, answered or not. */
  public final AtomicInteger refreshRequests = new AtomicInteger();
  /** Refresh grants that produced new tokens. */
  public final AtomicInteger refreshesGranted = new AtomicInteger();
  /** Requests that presented a refresh token already used once. */
  public final AtomicInteger refreshReuse = new AtomicInteger();
  public final CountDownLatch firstRefreshSeen = new CountDownLatch(1);
  private final AtomicLong refreshDelayMs = new AtomicLong();

  public volatile boolean deny;
  public volatile boolean tamperState;
  public volatile boolean omitAccountClaim;
  public volatile long expiresInSeconds = 3600;
  public volatile Map<String, String> lastAuthorizeQuery = Map.of();
  public volatile String lastTokenContentType;
  public volatile String latestAccess;
  public volatile String latestRefresh;

  public FakeOAuthServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth/authorize", this::authorize);
    server.createContext("/oauth/token", this::token);
    server.setExecutor(executor);
    server.start();
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String authorizeUrl() {
    return base() + "/oauth/authorize";
  }

  public String tokenUrl() {
    return base() + "/oauth/token";
  }

  public synchronized FakeOAuthServer then(Script s) {
    script.add(s);
    return this;
  }

  public FakeOAuthServer refreshDelay(long ms) {
    refreshDelayMs.set(ms);
    return this;
  }

  /** Issues tokens as if a login had happened, for tests that start from a stored profile. */
  public synchronized String[] issueInitial() {
    String[] t = newTokens();
    validRefresh.add(t[1]);
    latestAccess = t[0];
    latestRefresh = t[1];
    return t;
  }

  /** Whether {@code refresh} is the one live refresh token. */
  public boolean isLive(String refresh) {
    return validRefresh.contains(refresh);
  }

  private void authorize(HttpExchange ex) throws IOException {
    try (ex) {
      authorizeRequests.incrementAndGet();
      Map<String, String> q = UrlForms.decode(ex.getRequestURI().getRawQuery());
      lastAuthorizeQuery = q;
      String redirect = q.get("redirect_uri");
      if (redirect == null || !"code".equals(q.get("response_type")) || !CLIENT_ID.equals(q.get("client_id"))
          || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null || q.get("state") == null) {
        send(ex, 400, "text/plain", "bad authorize request");
        return;
      }
      String state = tamperState ? "0000" + q.get("state").substring(4) : q.get("state");
      String location;
      if (deny) {
        location = redirect + "?" + UrlForms.encode(Map.of("error", "access_denied",
            "error_description", "The user denied access", "state", state));
      } else {
        String code = "code-" + counter.incrementAndGet();
        codes.put(code, new String[] {q.get("code_challenge"), redirect});
        location = redirect + "?" + UrlForms.encode(new java.util.LinkedHashMap<>(Map.of("code", code, "state", state)));
      }
      ex.getResponseHeaders().set("Location", location);
      ex.sendResponseHeaders(302, -1);
    }
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      String ct = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
      lastTokenContentType = ct;
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> p;
      if (ct.startsWith("application/json")) {
        p = new java.util.LinkedHashMap<>();
        JsonNode n = JSON.readTree(body);
        for (var e : n.properties()) {
          p.put(e.getKey(), e.getValue().asText());
        }
      } else {
        p = UrlForms.decode(body);
      }
      if (!CLIENT_ID.equals(p.get("client_id"))) {
        error(ex, 401, "invalid_client");
        return;
      }
      String grant = String.valueOf(p.get("grant_type"));
      if (grant.equals("refresh_token")) {
        refreshRequests.incrementAndGet();
        firstRefreshSeen.countDown();
      } else {
        codeExchanges.incrementAndGet();
      }
      Script s;
      synchronized (this) {
        s = script.poll();
      }
      if (s instanceof Hang) {
        closing.await(5, TimeUnit.MINUTES);
        return;
      }
      if (s instanceof Fail f) {
        error(ex, f.status(), f.error());
        return;
      }
      switch (grant) {
        case "authorization_code" -> exchange(ex, p);
        case "refresh_token" -> refresh(ex, p);
        default -> error(ex, 400, "unsupported_grant_type");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void exchange(HttpExchange ex, Map<String, String> p) throws IOException {
    String[] c = codes.remove(String.valueOf(p.get("code")));
    if (c == null || p.get("code_verifier") == null || !Pkce.challengeOf(p.get("code_verifier")).equals(c[0])
        || !c[1].equals(p.get("redirect_uri"))) {
      error(ex, 400, "invalid_grant");
      return;
    }
    String[] t;
    synchronized (this) {
      t = newTokens();
      validRefresh.add(t[1]);
      latestAccess = t[0];
      latestRefresh = t[1];
    }
    tokens(ex, t);
  }

  private void refresh(HttpExchange ex, Map<String, String> p) throws IOException, InterruptedException {
    long delay = refreshDelayMs.get();
    if (delay > 0) {
      Thread.sleep(delay);
    }
    String presented = String.valueOf(p.get("refresh_token"));
    String[] t;
    synchronized (this) {
      if (usedRefresh.contains(presented)) {
        refreshReuse.incrementAndGet();
        t = null;
      } else if (!validRefresh.remove(presented)) {
        t = null;
      } else {
        usedRefresh.add(presented);
        t = newTokens();
        validRefresh.add(t[1]);
        latestAccess = t[0];
        latestRefresh = t[1];
        refreshesGranted.incrementAndGet();
      }
    }
    if (t == null) {
      error(ex, 400, "invalid_grant");
      return;
    }
    tokens(ex, t);
  }

  private String[] newTokens() {
    int n = counter.incrementAndGet();
    ObjectNode claims = JSON.createObjectNode();
    if (!omitAccountClaim) {
      claims.putObject(OpenAICodexProvider.ACCOUNT_CLAIM).put("chatgpt_account_id", ACCOUNT_ID);
    }
    claims.putObject("https://api.openai.com/profile").put("email", EMAIL);
    claims.put("n", n);
    String access = jwt(claims);
    String refresh = "rt-fake-" + n + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    return new String[] {access, refresh};
  }

  public static String jwt(ObjectNode claims) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  private void tokens(HttpExchange ex, String[] t) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("access_token", t[0]);
    n.put("refresh_token", t[1]);
    n.put("expires_in", expiresInSeconds);
    ObjectNode id = JSON.createObjectNode();
    id.put("email", EMAIL);
    n.put("id_token", jwt(id));
    n.put("token_type", "Bearer");
    send(ex, 200, "application/json", n.toString());
  }

  private static void error(HttpExchange ex, int status, String error) throws IOException {
    send(ex, status, "application/json", "{\"error\":\"" + error + "\",\"error_description\":\"scripted " + error + "\"}");
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** Config JSON pointing {@code provider}'s endpoints here, with the given redirect URI. */
  public String config(String provider, String redirectUri) {
    return "{\"auth\":{\"oauth\":{\"" + provider + "\":{\"authorizeUrl\":\"" + authorizeUrl()
        + "\",\"tokenUrl\":\"" + tokenUrl() + "\",\"clientId\":\"" + CLIENT_ID + "\",\"redirectUri\":\""
        + redirectUri + "\"}}}}\n";
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
