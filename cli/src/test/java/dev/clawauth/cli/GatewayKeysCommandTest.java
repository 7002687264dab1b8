package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clawauth gateway keys create|list|revoke} as real processes, against a running gateway. */
class GatewayKeysCommandTest {
  static final String KEY = "sk-ant-api03-" + "k".repeat(40) + "KKKK";

  @TempDir
  Path tmp;
  Path state;
  HttpServer provider;
  ClawauthProcess cli;
  ClawauthProcess.Gateway gateway;
  /** The gateway's log (stderr), read as it goes. */
  final StringBuffer gatewayLog = new StringBuffer();

  @BeforeEach
  void setUp() throws Exception {
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    provider.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] b = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":11,"
          + "\"output_tokens\":7}}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    provider.start();
    state = tmp.resolve("state");
    Path agent = state.resolve("agents/main/agent");
    Files.createDirectories(agent);
    Files.writeString(state.resolve("openclaw.json"), "{ agents: { defaults: { model: 'anthropic/claude-sonnet-4-5',"
        + " models: { 'anthropic/claude-sonnet-4-5': { alias: 'Sonnet' }, 'anthropic/claude-opus-4-5': { alias: 'Opus' } } } },"
        + " models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:" + provider.getAddress().getPort() + "' } } } }");
    Files.writeString(agent.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{"
        + "\"anthropic:a\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + KEY + "\"}}}");
    Files.createDirectories(tmp.resolve("home"));
    cli = new ClawauthProcess(tmp.resolve("home"), state);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null && gateway.process().isAlive()) {
      gateway.process().destroy();
      gateway.process().waitFor(10, TimeUnit.SECONDS);
      gateway.process().destroyForcibly();
    }
    provider.stop(0);
  }

  private HttpResponse<String> send(String key) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"Sonnet\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void createPrintsTheKeyOnceAndStoresOnlyItsHash() throws Exception {
    var created = cli.run("gateway", "keys", "create", "--name", "laptop", "--models", "Sonnet", "--expires-in", "30d");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String key = created.stdout().strip();
    assertThat(key).matches("clk_[A-Za-z0-9_-]{43}");
    assertThat(created.stderr()).contains("shown once").contains("models: anthropic/claude-sonnet-4-5").doesNotContain(key);
    Path file = state.resolve("clawauth-gateway-keys.json");
    assertThat(Files.readString(file)).contains("\"name\" : \"laptop\"").doesNotContain(key.substring(4));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    var again = cli.run("gateway", "keys", "create", "--name", "laptop");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr().strip()).isEqualTo("Error: a key named laptop exists; names are never reused: pick another name.");
    // The asked value is not echoed (an argument may be a pasted secret); the suggestion is from the config.
    var typo = cli.run("gateway", "keys", "create", "--name", "x", "--models", "Sonet");
    assertThat(typo.exitCode()).isEqualTo(1);
    assertThat(typo.stderr()).contains("is neither an alias nor a provider/model id (did you mean Sonnet?)");
    var unserved = cli.run("gateway", "keys", "create", "--name", "x", "--models", "mistral/mistral-large");
    assertThat(unserved.exitCode()).isEqualTo(1);
    assertThat(unserved.stderr()).contains("has no credential or models.providers entry for mistral");
    var badAgent = cli.run("gateway", "keys", "create", "--name", "x", "--agent", "mian");
    assertThat(badAgent.exitCode()).isEqualTo(1);
    assertThat(badAgent.stderr()).contains("unknown agent").contains("(did you mean main?)");
    var badName = cli.run("gateway", "keys", "create", "--name", "Has Space");
    assertThat(badName.exitCode()).isEqualTo(1);
    assertThat(badName.stderr().strip().lines()).hasSize(1);

    var list = cli.run("gateway", "keys", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.stdout()).contains("laptop").contains(key.substring(0, 10) + "…").contains("anthropic/claude-sonnet-4-5")
        .contains("active").contains("never").doesNotContain(key);
  }

  @Test
  void aRunningGatewayCountsAKeysUsageAndRefusesItOnceRevoked() throws Exception {
    String key = cli.run("gateway", "keys", "create", "--name", "ci").stdout().strip();
    Process p = cli.start("gateway", "--port", "0");
    Thread logReader = Thread.ofVirtual().start(() -> {
      try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        err.lines().forEach(l -> gatewayLog.append(l).append('\n'));
      } catch (java.io.IOException | java.io.UncheckedIOException gone) {
        // the gateway stopped
      }
    });
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    var m = java.util.regex.Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(String.valueOf(out.readLine()));
    assertThat(m.find()).as(gatewayLog.toString()).isTrue();
    gateway = new ClawauthProcess.Gateway(p, m.group(1));
    assertThat(send(key).statusCode()).isEqualTo(200);
    assertThat(send(key).statusCode()).isEqualTo(200);

    JsonNode row = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      var json = cli.run("gateway", "keys", "list", "--json");
      assertThat(json.exitCode()).as(json.toString()).isZero();
      row = new ObjectMapper().readTree(json.stdout()).get(0);
      if (row.path("requests").asLong() == 2) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(row.path("name").asText()).isEqualTo("ci");
    assertThat(row.path("requests").asLong()).isEqualTo(2);
    assertThat(row.path("tokensIn").asLong()).isEqualTo(22);
    assertThat(row.path("tokensOut").asLong()).isEqualTo(14);
    assertThat(row.path("errors").asLong()).isZero();
    assertThat(row.path("lastUsed").isNumber()).isTrue();
    assertThat(row.toString()).doesNotContain(key);

    var revoked = cli.run("gateway", "keys", "revoke", "ci");
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
    HttpResponse<String> refused = send(key);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("Client key ci was revoked").doesNotContain(key);
    var status = cli.run("gateway", "keys", "list");
    assertThat(status.stdout()).contains("revoked");

    var unknown = cli.run("gateway", "keys", "revoke", "nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr().strip()).isEqualTo("Error: no key named nope in " + state.resolve("clawauth-gateway-keys.json")
        + "; keys: (none).");

    gateway.process().destroy();
    assertThat(gateway.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    logReader.join(10_000);
    assertThat(gatewayLog.toString()).contains("401 POST /v1/messages").doesNotContain(key);
  }

  @Test
  void aCorruptKeysFileIsNamedWithItsLineAndColumnAndNeverWritten() throws Exception {
    Path file = state.resolve("clawauth-gateway-keys.json");
    String broken = "{\"version\":1,\"keys\":[\n  {\"name\":\"a\",}\n]}\n";
    Files.writeString(file, broken);
    var list = cli.run("gateway", "keys", "list");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.stderr().strip()).startsWith("Error: " + file + ":2:").contains("will not overwrite it");
    var create = cli.run("gateway", "keys", "create", "--name", "b");
    assertThat(create.exitCode()).isEqualTo(1);
    assertThat(create.stdout()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo(broken);
  }
}
