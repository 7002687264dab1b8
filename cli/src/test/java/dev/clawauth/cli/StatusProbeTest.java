package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.dir;
import static dev.clawauth.cli.StateFiles.secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models status --probe} against a fake provider on loopback, through the real jar. */
final class StatusProbeTest {
  static final String ANTHROPIC_OK = "sk-ant-api03-PROBEOK0000000000000000000000000000000000000000AA";
  static final String ANTHROPIC_BAD = "sk-ant-api03-PROBEBAD000000000000000000000000000000000000000AB";
  static final String SETUP_TOKEN = "sk-ant-oat01-PROBESETUP0000000000000000000000000000000000000000000000000000000000000000AC";
  static final String OPENAI_RATE = "sk-proj-PROBERATE000000000000000000000000000000000AD";
  static final String OPENAI_ENV = "sk-proj-PROBEENVOK00000000000000000000000000000000AE";
  static final String OPENROUTER_BILL = "sk-or-v1-PROBEBILL000000000000000000000000000000000000AF";
  static final String OPENROUTER_SLOW = "sk-or-v1-PROBESLOW000000000000000000000000000000000000AG";
  static final List<String> SECRETS = List.of(ANTHROPIC_OK, ANTHROPIC_BAD, SETUP_TOKEN, OPENAI_RATE,
      OPENAI_ENV, OPENROUTER_BILL, OPENROUTER_SLOW);

  @TempDir
  Path home;
  Path state;
  Path store;
  FakeProvider provider;

  @BeforeEach
  void setUp() throws Exception {
    provider = new FakeProvider()
        .answer(ANTHROPIC_OK, 200)
        .answer(ANTHROPIC_BAD, 401)
        .answer(SETUP_TOKEN, 200)
        .answer(OPENAI_RATE, 429)
        .answer(OPENAI_ENV, 200)
        .answer(OPENROUTER_BILL, 402)
        .answer(OPENROUTER_SLOW, 200, 5_000);
    state = dir(home.resolve("state"), "rwx------");
    store = secret(state.resolve("agents/main/agent/auth-profiles.json"), """
        {
          "version": 1,
          "profiles": {
            "anthropic:ok": { "type": "api_key", "provider": "anthropic", "key": "%s" },
            "anthropic:bad": { "type": "api_key", "provider": "anthropic", "key": "%s" },
            "anthropic:manual": { "type": "token", "provider": "anthropic", "token": "%s" },
            "openai:rate": { "type": "api_key", "provider": "openai", "key": "%s" },
            "openrouter:bill": { "type": "api_key", "provider": "openrouter", "key": "%s" },
            "openrouter:slow": { "type": "api_key", "provider": "openrouter", "key": "%s" },
            "anthropic:old": { "type": "token", "provider": "anthropic", "token": "sk-ant-oat01-expired", "expires": 1000 },
            "acme:key": { "type": "api_key", "provider": "acme", "key": "acme-0000000000000000000000" }
          }
        }
        """.formatted(ANTHROPIC_OK, ANTHROPIC_BAD, SETUP_TOKEN, OPENAI_RATE, OPENROUTER_BILL, OPENROUTER_SLOW));
    String base = provider.baseUrl();
    secret(state.resolve("openclaw.json"), """
        { models: { providers: {
            anthropic: { baseUrl: "%s" },
            openai: { baseUrl: "%s/v1" },
            openrouter: { baseUrl: "%s/api/v1" } } } }
        """.formatted(base, base, base));
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private ClawauthProcess.Result run(String... args) throws Exception {
    var r = new ClawauthProcess(home, state).env("OPENAI_API_KEY", OPENAI_ENV).run(args);
    for (String s : SECRETS) {
      assertThat(r.stdout()).as("stdout leaks a secret").doesNotContain(s);
      assertThat(r.stderr()).as("stderr leaks a secret").doesNotContain(s);
    }
    return r;
  }

  private static Map<String, JsonNode> byLabel(JsonNode probes) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode r : probes.path("results")) {
      out.put(r.path("profileId").isNull() ? r.path("source").asText() : r.path("profileId").asText(), r);
    }
    return out;
  }

  @Test
  void everyCredentialIsProbedOnceAndClassified() throws Exception {
    byte[] before = Files.readAllBytes(store);
    FileTime mtime = Files.getLastModifiedTime(store);
    var r = run("models", "status", "--json", "--probe", "--probe-timeout", "1500");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode probes = new ObjectMapper().readTree(r.stdout()).path("auth").path("probes");
    assertThat(probes.path("timeoutMs").asLong()).isEqualTo(1500);
    Map<String, JsonNode> res = byLabel(probes);
    assertThat(res.get("anthropic:ok").path("status").asText()).isEqualTo("ok");
    assertThat(res.get("anthropic:ok").path("httpStatus").asInt()).isEqualTo(200);
    assertThat(res.get("anthropic:ok").path("endpoint").asText()).isEqualTo(provider.baseUrl() + "/v1/models");
    assertThat(res.get("anthropic:ok").path("credential").asText()).isEqualTo("sk-ant-a...000000AA");
    assertThat(res.get("anthropic:bad").path("status").asText()).isEqualTo("auth");
    assertThat(res.get("anthropic:bad").path("fix").asText())
        .isEqualTo("clawauth models auth paste-api-key --provider anthropic --profile-id anthropic:bad");
    assertThat(res.get("anthropic:manual").path("status").asText()).isEqualTo("ok");
    assertThat(res.get("openai:rate").path("status").asText()).isEqualTo("rate_limit");
    assertThat(res.get("openrouter:bill").path("status").asText()).isEqualTo("billing");
    assertThat(res.get("openrouter:bill").path("endpoint").asText()).isEqualTo(provider.baseUrl() + "/api/v1/key");
    JsonNode slow = res.get("openrouter:slow");
    assertThat(slow.path("status").asText()).isEqualTo("timeout");
    assertThat(slow.path("latencyMs").asLong()).isBetween(1400L, 4900L);
    assertThat(res.get("anthropic:old").path("status").asText()).isEqualTo("skipped");
    assertThat(res.get("anthropic:old").path("detail").asText()).contains("expired");
    assertThat(res.get("acme:key").path("status").asText()).isEqualTo("unsupported");
    JsonNode env = res.get("env: OPENAI_API_KEY");
    assertThat(env.path("status").asText()).isEqualTo("ok");
    assertThat(env.path("profileId").isNull()).isTrue();
    assertThat(probes.path("summary").path("ok").asInt()).isEqualTo(3);
    assertThat(probes.path("summary").path("failed").asInt()).isEqualTo(4);
    assertThat(probes.path("summary").path("notProbed").asInt()).isEqualTo(2);

    // Right headers for each kind of credential, one request each, no body-spending endpoints.
    FakeProvider.Seen apiKey = provider.seenWith(ANTHROPIC_OK);
    assertThat(apiKey.path()).isEqualTo("/v1/models");
    assertThat(apiKey.headers()).containsEntry("anthropic-version", "2023-06-01").doesNotContainKey("authorization");
    FakeProvider.Seen token = provider.seenWith(SETUP_TOKEN);
    assertThat(token.headers()).doesNotContainKey("x-api-key")
        .containsEntry("anthropic-beta", "claude-code-20250219,oauth-2025-04-20").containsEntry("x-app", "cli");
    assertThat(token.headers().get("user-agent")).startsWith("claude-cli/").endsWith("(external, cli)");
    assertThat(provider.seenWith(OPENAI_RATE).path()).isEqualTo("/v1/models");
    assertThat(provider.seenWith(OPENAI_RATE).headers().get("authorization")).isEqualTo("Bearer " + OPENAI_RATE);
    assertThat(provider.seenWith(OPENAI_ENV).path()).isEqualTo("/v1/models");
    assertThat(provider.seen()).hasSize(7).allMatch(s -> s.method().equals("GET"));

    assertThat(Files.readAllBytes(store)).as("probing writes nothing").isEqualTo(before);
    assertThat(Files.getLastModifiedTime(store)).isEqualTo(mtime);
    assertThat(Files.exists(store.resolveSibling("auth-profiles.json.lock"))).isFalse();
  }

  @Test
  void textViewShowsOneLinePerCredentialWithLatency() throws Exception {
    var r = run("models", "status", "--probe", "--probe-timeout", "1000");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth probes (timeout 1000 ms): 3 ok, 4 failed, 2 not probed")
        .containsPattern("- anthropic:ok \\(anthropic, api_key sk-ant-a\\.\\.\\.000000AA\\): ok, \\d+ ms")
        .contains("- anthropic:bad (anthropic, api_key sk-ant-a...000000AB): auth error (HTTP 401)")
        .contains("- openai:rate (openai, api_key sk-proj-...000000AD): rate limited (HTTP 429)")
        .contains("- openrouter:bill (openrouter, api_key sk-or-v1...000000AF): billing problem (HTTP 402)")
        .contains("- openrouter:slow (openrouter, api_key sk-or-v1...000000AG): timed out (no answer within 1000 ms)")
        .contains("- acme:key (acme, api_key acme-0...000000): not probed (unknown provider API");
  }

  @Test
  void filtersLimitWhatIsProbed() throws Exception {
    var onlyOpenai = run("models", "status", "--json", "--probe", "--probe-provider", "OpenAI");
    Map<String, JsonNode> res = byLabel(new ObjectMapper().readTree(onlyOpenai.stdout()).path("auth").path("probes"));
    assertThat(res.keySet()).containsExactly("openai:rate", "env: OPENAI_API_KEY");

    var profiles = run("models", "status", "--json", "--probe", "--probe-profile", "anthropic:ok,anthropic:bad");
    res = byLabel(new ObjectMapper().readTree(profiles.stdout()).path("auth").path("probes"));
    assertThat(res.keySet()).containsExactlyInAnyOrder("anthropic:ok", "anthropic:bad");
    assertThat(provider.seen()).hasSize(4);
  }

  @Test
  void probingNeverHappensUnlessAsked() throws Exception {
    var r = run("models", "status", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(r.stdout()).path("auth").has("probes")).isFalse();
    assertThat(run("models", "status").stdout()).doesNotContain("Auth probes");
    assertThat(provider.seen()).isEmpty();
  }

  @Test
  void badProbeOptionsFailWithOneLine() throws Exception {
    var noProbe = run("models", "status", "--probe-timeout", "500");
    assertThat(noProbe.exitCode()).isEqualTo(1);
    assertThat(noProbe.stderr().strip()).contains("only apply with --probe").doesNotContain("\n");
    var unknown = run("models", "status", "--probe", "--probe-profile", "anthropic:nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr().strip()).startsWith("Error: Auth profile \"anthropic:nope\" not found").doesNotContain("\n");
    var zero = run("models", "status", "--probe", "--probe-timeout", "0");
    assertThat(zero.exitCode()).isEqualTo(1);
    assertThat(provider.seen()).isEmpty();
  }

  @Test
  void unreachableProviderIsANetworkError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    secret(state.resolve("openclaw.json"),
        "{ models: { providers: { anthropic: { baseUrl: \"http://127.0.0.1:" + closedPort + "\" } } } }\n");
    var r = run("models", "status", "--json", "--probe", "--probe-provider", "anthropic");
    Map<String, JsonNode> res = byLabel(new ObjectMapper().readTree(r.stdout()).path("auth").path("probes"));
    assertThat(res.get("anthropic:ok").path("status").asText()).isEqualTo("network");
    assertThat(res.get("anthropic:ok").path("detail").asText()).contains("cannot connect to 127.0.0.1:" + closedPort);
  }

  @Test
  void oauthProfilesUseBearerAndAnExpiredAccessTokenIsNotRefreshedByAProbe() throws Exception {
    long now = System.currentTimeMillis();
    String access = "sk-ant-oat01-PROBEOAUTHACCESS0000000000000000000000000000000000000000000000000AH";
    provider.answer(access, 200);
    secret(store, """
        {
          "version": 1,
          "profiles": {
            "anthropic:claude-cli": { "type": "oauth", "provider": "anthropic", "access": "%s",
                                      "refresh": "rt-PROBE-0000000000000000", "expires": %d },
            "anthropic:stale": { "type": "oauth", "provider": "anthropic", "access": "sk-ant-oat01-stale-00000000",
                                 "refresh": "rt-PROBE-0000000000000001", "expires": %d }
          }
        }
        """.formatted(access, now + 3_600_000L, now - 60_000L));
    byte[] before = Files.readAllBytes(store);
    var r = new ClawauthProcess(home, state).env("ANTHROPIC_OAUTH_TOKEN", SETUP_TOKEN)
        .run("models", "status", "--json", "--probe");
    assertThat(r.stdout()).doesNotContain(access).doesNotContain(SETUP_TOKEN);
    Map<String, JsonNode> res = byLabel(new ObjectMapper().readTree(r.stdout()).path("auth").path("probes"));
    assertThat(res.get("anthropic:claude-cli").path("status").asText()).isEqualTo("ok");
    assertThat(provider.seenWith(access).headers()).doesNotContainKey("x-api-key")
        .containsEntry("anthropic-beta", "claude-code-20250219,oauth-2025-04-20");
    assertThat(res.get("anthropic:stale").path("status").asText()).isEqualTo("skipped");
    assertThat(res.get("anthropic:stale").path("detail").asText()).contains("refreshed on first use");
    JsonNode env = res.get("env: ANTHROPIC_OAUTH_TOKEN");
    assertThat(env.path("kind").asText()).isEqualTo("token");
    assertThat(env.path("status").asText()).isEqualTo("ok");
    assertThat(provider.seenWith(SETUP_TOKEN).headers()).doesNotContainKey("x-api-key");
    assertThat(Files.readAllBytes(store)).as("no refresh, no write").isEqualTo(before);
  }

  @Test
  void concurrencyLimitIsHonoured() throws Exception {
    // Slow answers keep each probe in flight long enough for the server to see any overlap.
    provider.answer(ANTHROPIC_OK, 200, 800).answer(ANTHROPIC_BAD, 200, 800).answer(SETUP_TOKEN, 200, 800);
    String[] args = {"models", "status", "--json", "--probe", "--probe-provider", "anthropic",
        "--probe-timeout", "5000", "--probe-concurrency", "1"};
    var serial = run(args);
    assertThat(serial.exitCode()).as(serial.toString()).isZero();
    assertThat(provider.seen()).hasSize(3);
    assertThat(provider.maxInFlight()).isEqualTo(1);

    args[args.length - 1] = "3";
    run(args);
    assertThat(provider.seen()).hasSize(6);
    assertThat(provider.maxInFlight()).isEqualTo(3);
  }
}
