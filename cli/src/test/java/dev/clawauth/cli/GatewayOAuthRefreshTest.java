package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.clawauth.oauth.FakeOAuthServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clawauth gateway} as a real process with the real TokenRefresher: expired OAuth profiles
 * are refreshed at the token endpoint the config names, the provider gets the new token, and a
 * refused refresh ends in the re-login command and NEEDS LOGIN in {@code models status}.
 */
class GatewayOAuthRefreshTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OLD_CODEX_ACCESS = "old-codex-access-" + "q".repeat(20);
  static final String OLD_CLAUDE_ACCESS = "sk-ant-oat01-old-" + "w".repeat(20);

  @TempDir
  Path tmp;
  Path state;
  Path store;
  HttpServer provider;
  FakeOAuthServer oauth;
  final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
  Process gateway;
  ClawauthProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    oauth = new FakeOAuthServer();
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    provider.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      seen.add(Map.of("path", ex.getRequestURI().getPath(),
          "authorization", String.valueOf(ex.getRequestHeaders().getFirst("authorization")),
          "account", String.valueOf(ex.getRequestHeaders().getFirst("chatgpt-account-id"))));
      byte[] b = ("{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":[]}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    provider.start();
    state = tmp.resolve("state");
    store = state.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(store.getParent());
    String base = "http://127.0.0.1:" + provider.getAddress().getPort();
    String oauthEndpoint = "{ tokenUrl: '" + oauth.tokenUrl() + "', clientId: '" + FakeOAuthServer.CLIENT_ID + "' }";
    Files.writeString(state.resolve("openclaw.json"), "{ models: { providers: {"
        + " anthropic: { baseUrl: '" + base + "' }, 'openai-codex': { baseUrl: '" + base + "/backend-api' } } },"
        + " auth: { oauth: { 'openai-codex': " + oauthEndpoint + ", anthropic: " + oauthEndpoint + " } } }");
    Files.createDirectories(tmp.resolve("home"));
    cli = new ClawauthProcess(tmp.resolve("home"), state);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroy();
      gateway.waitFor(10, TimeUnit.SECONDS);
      gateway.destroyForcibly();
    }
    provider.stop(0);
    oauth.close();
  }

  static String expired(String provider, String access, String refresh, String accountId) {
    return "{\"type\":\"oauth\",\"provider\":\"" + provider + "\",\"access\":\"" + access + "\",\"refresh\":\""
        + refresh + "\",\"expires\":" + (System.currentTimeMillis() - 60_000)
        + (accountId == null ? "" : ",\"accountId\":\"" + accountId + "\"") + "}";
  }

  @Test
  void refreshesThroughTheRunningGatewayAndNamesTheReLoginWhenRefused() throws Exception {
    String codexRefresh = oauth.issueInitial()[1];
    String claudeRefresh = "rt-claude-not-known-to-the-server-" + "z".repeat(12);
    Files.writeString(store, "{\"version\":1,\"profiles\":{"
        + "\"openai-codex:default\":" + expired("openai-codex", OLD_CODEX_ACCESS, codexRefresh, FakeOAuthServer.ACCOUNT_ID)
        + ",\"anthropic:claude\":" + expired("anthropic", OLD_CLAUDE_ACCESS, claudeRefresh, null) + "}}");

    ClawauthProcess.Gateway started = cli.startGateway();
    gateway = started.process();
    String url = started.url();
    String token = cli.run("gateway", "token").stdout().strip();

    // Codex: one refresh, the new token and the account header upstream, rotated tokens stored.
    HttpResponse<String> r = post(url, token, "/v1/responses", "{\"model\":\"openai-codex/gpt-5\",\"input\":\"hi\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(oauth.refreshRequests.get()).isEqualTo(1);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).get("path")).isEqualTo("/backend-api/codex/responses");
    assertThat(seen.get(0).get("authorization")).isEqualTo("Bearer " + oauth.latestAccess);
    assertThat(seen.get(0).get("account")).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    JsonNode codex = JSON.readTree(Files.readString(store)).path("profiles").path("openai-codex:default");
    assertThat(codex.path("access").asText()).isEqualTo(oauth.latestAccess);
    assertThat(codex.path("refresh").asText()).isEqualTo(oauth.latestRefresh).isNotEqualTo(codexRefresh);
    assertThat(post(url, token, "/v1/responses", "{\"model\":\"openai-codex/gpt-5\",\"input\":\"again\"}")
        .statusCode()).isEqualTo(200);
    assertThat(oauth.refreshRequests.get()).isEqualTo(1);
    String metrics = get(url, token, "/metrics");
    assertThat(metrics).contains("clawauth_gateway_refreshes_total{profile=\"openai-codex:default\","
        + "provider=\"openai-codex\",result=\"ok\"} 1.0");

    // Anthropic: the token endpoint refuses the refresh token; no profile is left.
    String relogin = "clawauth models auth login --provider anthropic --profile-id anthropic:claude";
    HttpResponse<String> refused = post(url, token, "/v1/messages", "{\"model\":\"claude-opus-4-5\","
        + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(refused.statusCode()).isEqualTo(503);
    JsonNode err = JSON.readTree(refused.body());
    assertThat(err.path("type").asText()).isEqualTo("error");
    assertThat(err.path("error").path("message").asText()).contains("anthropic:claude").contains(relogin);
    assertThat(seen).hasSize(2);
    assertThat(oauth.refreshRequests.get()).isEqualTo(2);

    var status = cli.run("models", "status");
    assertThat(status.stdout()).contains("NEEDS LOGIN").contains(relogin);
    JsonNode claude = JSON.readTree(Files.readString(store)).path("profiles").path("anthropic:claude");
    assertThat(claude.path("access").asText()).isEqualTo(OLD_CLAUDE_ACCESS);
    assertThat(claude.path("refresh").asText()).isEqualTo(claudeRefresh);
    assertThat(status.stdout() + status.stderr() + refused.body() + metrics)
        .doesNotContain(oauth.latestAccess).doesNotContain(oauth.latestRefresh).doesNotContain(claudeRefresh);
  }

  private static HttpResponse<String> post(String url, String token, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
        .header("x-api-key", token).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String url, String token, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
        .header("x-api-key", token).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
