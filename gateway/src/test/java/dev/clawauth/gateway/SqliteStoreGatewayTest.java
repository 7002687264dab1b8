package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a state directory whose credentials OpenClaw 2026.9 keeps in SQLite: it serves
 * with a key only the database holds, writes cooldowns where OpenClaw reads them, and uses a key
 * another program commits while it runs from the next request on.
 */
class SqliteStoreGatewayTest {
  static final String KEY_A = "sk-ant-api03-TEST-sqlite-gateway-key-A-0001";
  static final String KEY_B = "sk-ant-api03-TEST-sqlite-gateway-key-B-0002";
  static final String KEY_C = "sk-ant-api03-TEST-sqlite-gateway-key-C-0003";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private Path sharedDb() {
    return f.state.resolve("state/openclaw.sqlite");
  }

  /** What OpenClaw 2026.9's onboard and pastes leave: the shared store in the state database. */
  private void openClawStore(String profilesJson, String stateJson) throws Exception {
    Files.createDirectories(sharedDb().getParent());
    Files.deleteIfExists(f.store);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sharedDb()); var st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY,"
          + " value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT");
    }
    setRow("auth.sharedStore", "{\"location\":\"state-db\"}");
    setRow("authProfiles.store", "{\"version\":1,\"profiles\":" + profilesJson + "}");
    if (stateJson != null) {
      setRow("authProfiles.state", stateJson);
    }
  }

  private void setRow(String key, String json) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sharedDb());
        PreparedStatement ps = c.prepareStatement("INSERT INTO config_machine_state VALUES (?, ?, ?)"
            + " ON CONFLICT(state_key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms")) {
      ps.setString(1, key);
      ps.setString(2, json);
      ps.setLong(3, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  private JsonNode row(String key) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sharedDb());
        PreparedStatement ps = c.prepareStatement("SELECT value_json FROM config_machine_state WHERE state_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JSON.readTree(rs.getString(1)) : JSON.missingNode();
      }
    }
  }

  private static String apiKey(String key) {
    return "{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + key + "\"}";
  }

  private static MessageCreateParams hello() {
    return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("hello").build();
  }

  @Test
  void servesWithAKeyOnlyTheDatabaseHoldsAndWritesCooldownsWhereOpenClawReadsThem() throws Exception {
    f = new GatewayFixture(tmp);
    openClawStore("{\"anthropic:a\":" + apiKey(KEY_A) + ",\"anthropic:b\":" + apiKey(KEY_B) + "}",
        "{\"version\":1,\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]}}");
    f.start();
    f.provider.when(KEY_A, FakeProvider.json(429,
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}"));
    long before = System.currentTimeMillis();
    f.anthropic().messages().create(hello());
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).containsExactly(KEY_A, KEY_B);
    assertThat(Files.exists(f.store)).as("no auth-profiles.json beside OpenClaw's database").isFalse();

    f.gateway.flush();
    JsonNode usage = row("authProfiles.state").path("usageStats");
    assertThat(usage.path("anthropic:a").path("cooldownUntil").asLong()).isGreaterThan(before);
    assertThat(usage.path("anthropic:a").path("failureCounts").path("rate_limit").asInt()).isEqualTo(1);
    assertThat(usage.path("anthropic:b").path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
    assertThat(row("authProfiles.state").path("order").path("anthropic").toString())
        .as("the shared order is left as it was").isEqualTo("[\"anthropic:a\",\"anthropic:b\"]");
    assertThat(row("authProfiles.store").path("profiles").path("anthropic:a").path("key").asText()).isEqualTo(KEY_A);

    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).as("the cooled profile is skipped").isEqualTo(KEY_B);
  }

  @Test
  void aKeyAnotherProgramCommitsIsUsedOnTheNextRequest() throws Exception {
    f = new GatewayFixture(tmp);
    openClawStore("{\"anthropic:a\":" + apiKey(KEY_A) + "}", null);
    f.start();
    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    // As OpenClaw's paste does: one transaction rewriting the row.
    setRow("authProfiles.store", "{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKey(KEY_C) + "}}");
    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_C);
  }

  static final String OPENAI_KEY = "sk-proj-TEST-sqlite-gateway-openai-key-0004";

  private java.net.http.HttpResponse<String> post(String path, String body) throws Exception {
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.url() + path))
          .header("x-api-key", f.token()).header("content-type", "application/json")
          .timeout(java.time.Duration.ofSeconds(30)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * OpenClaw 2026.9 stores ChatGPT OAuth as provider openai: a request for an openai model routed to
   * that profile goes to the Codex backend with its refreshed token and account header, while the
   * provider's API key still goes to the OpenAI API as a bearer.
   */
  @Test
  void anUnreachableCodexBackendFailsOverToTheProvidersApiKey() throws Exception {
    f = new GatewayFixture(tmp);
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Files.writeString(f.state.resolve("openclaw.json"), "{ models: { providers: { openai: { baseUrl: '"
        + f.provider.baseUrl() + "/v1' }, 'openai-codex': { baseUrl: 'http://127.0.0.1:" + closed + "/backend-api' } } } }");
    String access = "openai-oauth-access-" + "a".repeat(24);
    String oauth = "{\"type\":\"oauth\",\"provider\":\"openai\",\"access\":\"" + access + "\",\"refresh\":\"rt-"
        + "r".repeat(24) + "\",\"expires\":" + (System.currentTimeMillis() + 3_600_000) + ",\"accountId\":\""
        + FakeTokenServer.ACCOUNT_ID + "\"}";
    openClawStore("{\"openai:default\":" + oauth + ",\"openai:manual\":{\"type\":\"api_key\",\"provider\":\"openai\","
        + "\"key\":\"" + OPENAI_KEY + "\"}}", "{\"version\":1,\"order\":{\"openai\":[\"openai:default\",\"openai:manual\"]}}");
    f.start();

    var r = post("/v1/responses", "{\"model\":\"openai/gpt-5.2\",\"input\":\"hi\"}");
    // Only the OAuth profile goes to the Codex backend: the provider's own endpoint still serves its key.
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(f.provider.last().path()).isEqualTo("/v1/responses");
    assertThat(f.provider.last().credential()).isEqualTo(OPENAI_KEY);
    assertThat(f.log()).contains("openai-codex endpoint unreachable").doesNotContain(access).doesNotContain(OPENAI_KEY);
  }

  @Test
  void anOpenaiOAuthProfileGoesOutOnTheCodexWireWithItsRefreshedToken() throws Exception {
    try (FakeTokenServer tokens = new FakeTokenServer();
        var refresher = dev.clawauth.oauth.TokenRefresher.builder().jitter(java.time.Duration.ZERO).build()) {
      f = new GatewayFixture(tmp);
      f.config(tokens.oauthConfig("openai-codex"));
      f.refresher = refresher;
      String oldAccess = "old-openai-oauth-access-" + "o".repeat(24);
      String oldRefresh = tokens.issueRefresh();
      openClawStore("{\"openai:default\":" + OAuthRefreshGatewayTest.expiredOAuth("openai", oldAccess, oldRefresh,
          FakeTokenServer.ACCOUNT_ID) + ",\"openai:manual\":{\"type\":\"api_key\",\"provider\":\"openai\",\"key\":\""
          + OPENAI_KEY + "\"}}", "{\"version\":1,\"order\":{\"openai\":[\"openai:default\",\"openai:manual\"]}}");
      f.start();

      var r = post("/v1/responses", "{\"model\":\"openai/gpt-5.2\",\"input\":\"hi\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(tokens.refreshRequests.get()).isEqualTo(1);
      FakeProvider.Seen seen = f.provider.last();
      assertThat(seen.path()).isEqualTo("/backend-api/codex/responses");
      assertThat(seen.credential()).isEqualTo(tokens.latestAccess).isNotEqualTo(oldAccess);
      assertThat(seen.header("chatgpt-account-id")).isEqualTo(FakeTokenServer.ACCOUNT_ID);
      assertThat(seen.header("originator")).isNotNull();
      JsonNode stored = row("authProfiles.store").path("profiles").path("openai:default");
      assertThat(stored.path("provider").asText()).isEqualTo("openai");
      assertThat(stored.path("access").asText()).isEqualTo(tokens.latestAccess);
      assertThat(stored.path("refresh").asText()).isEqualTo(tokens.latestRefresh);

      // The Codex backend serves only Responses: Chat Completions go to the API key, on the OpenAI API.
      var chat = post("/v1/chat/completions", "{\"model\":\"openai/gpt-5.2\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
      assertThat(f.provider.last().path()).isEqualTo("/v1/chat/completions");
      assertThat(f.provider.last().credential()).isEqualTo(OPENAI_KEY);
      assertThat(f.provider.last().header("chatgpt-account-id")).isNull();
      assertThat(tokens.refreshRequests.get()).isEqualTo(1);
      assertThat(f.log()).doesNotContain(tokens.latestAccess).doesNotContain(oldRefresh).doesNotContain(OPENAI_KEY);

      // A model of the legacy id finds no profile here; the answer names the ref that does.
      var legacy = post("/v1/responses", "{\"model\":\"openai-codex/gpt-5.2\",\"input\":\"hi\"}");
      assertThat(legacy.statusCode()).isEqualTo(503);
      assertThat(legacy.body()).contains("ask for the model as openai/gpt-5.2");
    }
  }
}
