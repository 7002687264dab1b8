package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.oauth.TokenRefresher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with the real {@link TokenRefresher} against a fake token endpoint (config
 * {@code auth.oauth.<id>.tokenUrl}) and the fake provider: expired OAuth profiles are refreshed
 * once, the new token goes upstream, failures keep or mark the tokens as the OAuth rules say.
 */
class OAuthRefreshGatewayTest {
  static final String OLD_ACCESS_CODEX = "old-codex-access-" + "c".repeat(24);
  static final String OLD_ACCESS_CLAUDE = "sk-ant-oat01-old-" + "d".repeat(24);
  static final String KEY = "sk-ant-api03-" + "k".repeat(40) + "KKKK";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;
  FakeTokenServer tokens;
  TokenRefresher refresher;

  @BeforeEach
  void setUp() throws Exception {
    tokens = new FakeTokenServer();
    f = new GatewayFixture(tmp);
    f.config(tokens.oauthConfig("openai-codex", "anthropic"));
    refresher = TokenRefresher.builder().jitter(Duration.ZERO).build();
    f.refresher = refresher;
  }

  @AfterEach
  void tearDown() {
    f.close();
    refresher.close();
    tokens.close();
  }

  static String expiredOAuth(String provider, String access, String refresh, String accountId) {
    return "{\"type\":\"oauth\",\"provider\":\"" + provider + "\",\"access\":\"" + access + "\",\"refresh\":\""
        + refresh + "\",\"expires\":" + (System.currentTimeMillis() - 60_000)
        + (accountId == null ? "" : ",\"accountId\":\"" + accountId + "\"") + "}";
  }

  private HttpResponse<String> responses() throws Exception {
    return post("/v1/responses", "{\"model\":\"openai-codex/gpt-5\",\"input\":\"hi\"}");
  }

  private HttpResponse<String> messages() throws Exception {
    return post("/v1/messages", "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(f.url() + path)).header("x-api-key", f.token())
        .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode profileOnDisk(String id) throws Exception {
    return JSON.readTree(Files.readString(f.store)).path("profiles").path(id);
  }

  private String refreshMetric(String provider, String profile, String result) {
    // The client writes labels sorted by name.
    return "clawauth_gateway_refreshes_total{profile=\"" + profile + "\",provider=\"" + provider
        + "\",result=\"" + result + "\"}";
  }

  @Test
  void anExpiredCodexProfileIsRefreshedOnceAndTheNewTokenGoesUpstream() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("openai-codex:default",
        expiredOAuth("openai-codex", OLD_ACCESS_CODEX, oldRefresh, FakeTokenServer.ACCOUNT_ID))).start();

    HttpResponse<String> r = responses();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
    FakeProvider.Seen seen = f.provider.last();
    assertThat(seen.path()).isEqualTo("/backend-api/codex/responses");
    assertThat(seen.credential()).isEqualTo(tokens.latestAccess).isNotEqualTo(OLD_ACCESS_CODEX);
    assertThat(seen.header("chatgpt-account-id")).isEqualTo(FakeTokenServer.ACCOUNT_ID);

    JsonNode p = profileOnDisk("openai-codex:default");
    assertThat(p.path("access").asText()).isEqualTo(tokens.latestAccess);
    assertThat(p.path("refresh").asText()).isEqualTo(tokens.latestRefresh).isNotEqualTo(oldRefresh);
    assertThat(p.path("expires").asLong()).isGreaterThan(System.currentTimeMillis() + 50 * 60_000);
    assertThat(f.gateway.metrics().render())
        .contains(refreshMetric("openai-codex", "openai-codex:default", "ok") + " 1.0");

    // The refreshed token is now fresh: the next requests send it without another refresh.
    assertThat(responses().statusCode()).isEqualTo(200);
    assertThat(responses().statusCode()).isEqualTo(200);
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
    assertThat(f.provider.last().credential()).isEqualTo(tokens.latestAccess);
    assertThat(f.gateway.metrics().render())
        .contains(refreshMetric("openai-codex", "openai-codex:default", "ok") + " 1.0");
    assertThat(f.log()).doesNotContain(tokens.latestAccess).doesNotContain(tokens.latestRefresh)
        .doesNotContain(oldRefresh);
  }

  /** A refresh waits on a token endpoint; it must not hold up the event loop every other request shares. */
  @Test
  void aSlowRefreshDoesNotHoldUpOtherRequests() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("openai-codex:default",
        expiredOAuth("openai-codex", OLD_ACCESS_CODEX, oldRefresh, FakeTokenServer.ACCOUNT_ID),
        "anthropic:key", apiKeyProfile("anthropic", KEY))).start();
    tokens.delayMs = 5_000;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<String>> refreshing = pool.submit(this::responses);
      while (tokens.refreshRequests.get() == 0) {
        Thread.sleep(5);
      }
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> other = messages();
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
      }
      assertThat(refreshing.isDone()).as("the refresh was still waiting on its token endpoint").isFalse();
      assertThat(refreshing.get().statusCode()).isEqualTo(200);
    }
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
  }

  @Test
  void sixteenConcurrentRequestsShareOneRefresh() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("openai-codex:default",
        expiredOAuth("openai-codex", OLD_ACCESS_CODEX, oldRefresh, FakeTokenServer.ACCOUNT_ID))).start();
    tokens.delayMs = 300;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> all = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 16; i++) {
        all.add(pool.submit(() -> {
          go.await();
          return responses();
        }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> r : all) {
        assertThat(r.get().statusCode()).as(r.get().body()).isEqualTo(200);
      }
    }
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
    assertThat(tokens.reused.get()).isZero();
    assertThat(f.provider.seen).hasSize(16)
        .allSatisfy(s -> assertThat(s.credential()).isEqualTo(tokens.latestAccess));
    assertThat(f.provider.seen).allSatisfy(s ->
        assertThat(s.header("chatgpt-account-id")).isEqualTo(FakeTokenServer.ACCOUNT_ID));
    assertThat(profileOnDisk("openai-codex:default").path("refresh").asText()).isEqualTo(tokens.latestRefresh);
    assertThat(f.gateway.metrics().render())
        .contains(refreshMetric("openai-codex", "openai-codex:default", "ok") + " 1.0");
  }

  @Test
  void aRefusedRefreshFailsOverToTheNextProfileAndMarksTheProfileForReLogin() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store("{\"version\":1,\"profiles\":{\"anthropic:oauth\":"
        + expiredOAuth("anthropic", OLD_ACCESS_CLAUDE, oldRefresh, null)
        + ",\"anthropic:key\":" + apiKeyProfile("anthropic", KEY) + "},"
        + "\"order\":{\"anthropic\":[\"anthropic:oauth\",\"anthropic:key\"]}}").start();
    tokens.thenFail(400, "invalid_grant");

    HttpResponse<String> r = messages();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).containsExactly(KEY);

    JsonNode p = profileOnDisk("anthropic:oauth");
    assertThat(p.path("access").asText()).isEqualTo(OLD_ACCESS_CLAUDE);
    assertThat(p.path("refresh").asText()).isEqualTo(oldRefresh);
    assertThat(p.toString()).contains("invalid_grant");
    assertThat(f.gateway.metrics().render()).contains(refreshMetric("anthropic", "anthropic:oauth", "relogin") + " 1.0");

    // The status document shows the profile as needing a new login, with the command.
    HttpResponse<String> status = CLIENT.send(HttpRequest.newBuilder(URI.create(f.url() + "/status"))
        .header("x-api-key", f.token()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.body()).contains("needsRelogin")
        .contains("clawauth models auth login --provider anthropic --profile-id anthropic:oauth");
  }

  @Test
  void aRefusedRefreshWithNoOtherProfileAnswersWithTheReLoginCommand() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("anthropic:oauth", expiredOAuth("anthropic", OLD_ACCESS_CLAUDE, oldRefresh, null))).start();
    tokens.thenFail(400, "invalid_grant");
    String relogin = "clawauth models auth login --provider anthropic --profile-id anthropic:oauth";

    HttpResponse<String> r = messages();
    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode err = JSON.readTree(r.body());
    assertThat(err.path("type").asText()).isEqualTo("error");
    assertThat(err.path("error").path("message").asText()).contains("anthropic:oauth").contains(relogin)
        .contains("invalid_grant");
    assertThat(f.provider.seen).isEmpty();

    // Later requests are refused at once, still naming the command, without asking the token endpoint.
    HttpResponse<String> again = messages();
    assertThat(again.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(again.body()).path("error").path("message").asText()).contains(relogin);
    assertThat(tokens.refreshRequests.get()).isEqualTo(1);
    assertThat(r.body() + again.body()).doesNotContain(oldRefresh).doesNotContain(OLD_ACCESS_CLAUDE);
  }

  @Test
  void aTransientRefreshFailureKeepsTheTokensAndCoolsTheProfileDown() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("openai-codex:default",
        expiredOAuth("openai-codex", OLD_ACCESS_CODEX, oldRefresh, FakeTokenServer.ACCOUNT_ID))).start();
    tokens.thenFail(502, "server_error");

    HttpResponse<String> r = responses();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .contains("openai-codex:default").contains("502").contains("kept").doesNotContain("log in again");
    assertThat(f.provider.seen).isEmpty();
    JsonNode p = profileOnDisk("openai-codex:default");
    assertThat(p.path("access").asText()).isEqualTo(OLD_ACCESS_CODEX);
    assertThat(p.path("refresh").asText()).isEqualTo(oldRefresh);
    assertThat(p.has("relogin") || p.toString().contains("reason")).isFalse();
    JsonNode usage = JSON.readTree(Files.readString(f.store)).path("usageStats").path("openai-codex:default");
    assertThat(usage.path("cooldownUntil").asLong()).isGreaterThan(System.currentTimeMillis());
    // One failure, counted once (not once by the refresher and again by the gateway).
    f.gateway.flush();
    usage = JSON.readTree(Files.readString(f.store)).path("usageStats").path("openai-codex:default");
    assertThat(usage.path("errorCount").asInt()).isEqualTo(1);
    assertThat(f.gateway.metrics().render()).contains(refreshMetric("openai-codex", "openai-codex:default", "error") + " 1.0");
  }

  /**
   * A token endpoint that echoes the refresh token it refused: the echo is masked in the client's
   * answer, the log, the re-login reason kept in the store and /status.
   */
  @Test
  void aRefreshTokenEchoedByTheTokenEndpointIsShownNowhere() throws Exception {
    String oldRefresh = tokens.issueRefresh();
    f.store(storeJson("anthropic:oauth", expiredOAuth("anthropic", OLD_ACCESS_CLAUDE, oldRefresh, null))).start();
    tokens.thenFail(401, "refresh_token_" + oldRefresh + "_revoked");

    HttpResponse<String> r = messages();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("anthropic:oauth").contains("log in again").doesNotContain(oldRefresh);
    HttpResponse<String> status = CLIENT.send(HttpRequest.newBuilder(URI.create(f.url() + "/status"))
        .header("x-api-key", f.token()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.body()).contains("needsRelogin").contains("refresh_token_").doesNotContain(oldRefresh);
    assertThat(f.log()).doesNotContain(oldRefresh);
    com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) profileOnDisk("anthropic:oauth");
    assertThat(p.path("refresh").asText()).isEqualTo(oldRefresh);
    p.remove("refresh");
    assertThat(p.toString()).contains("refresh_token_").doesNotContain(oldRefresh);
  }
}
