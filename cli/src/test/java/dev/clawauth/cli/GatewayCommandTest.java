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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clawauth gateway} as a real process, with the CLI changing the store while it runs. */
class GatewayCommandTest {
  static final String KEY_A = "sk-ant-api03-" + "a".repeat(40) + "AAAA";
  static final String KEY_B = "sk-ant-api03-" + "b".repeat(40) + "BBBB";

  @TempDir
  Path tmp;
  Path state;
  HttpServer provider;
  final List<String> seenKeys = new CopyOnWriteArrayList<>();
  Process gateway;
  ClawauthProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    provider.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      String key = ex.getRequestHeaders().getFirst("x-api-key");
      seenKeys.add(key);
      boolean limited = KEY_A.equals(key) && Files.exists(state.resolve("limit-a"));
      byte[] b = (limited ? "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}"
          : "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\","
              + "\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(limited ? 429 : 200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    provider.start();
    state = tmp.resolve("state");
    Path agent = state.resolve("agents/main/agent");
    Files.createDirectories(agent);
    Files.writeString(state.resolve("openclaw.json"), "{ models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:"
        + provider.getAddress().getPort() + "' } } } }");
    Files.writeString(agent.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{"
        + "\"anthropic:a\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + KEY_A + "\"},"
        + "\"anthropic:b\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + KEY_B + "\"}},"
        + "\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]}}");
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
  }

  @Test
  void tokenIsCreatedOnceAndPrivate() throws Exception {
    var first = cli.run("gateway", "token");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.stdout().strip()).matches("[0-9a-f]{64}");
    assertThat(cli.run("gateway", "token").stdout()).isEqualTo(first.stdout());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("clawauth-gateway.token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesANonLoopbackBindWithoutTheFlag() throws Exception {
    var r = cli.run("gateway", "--port", "0", "--bind", "0.0.0.0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.stderr()).contains("--allow-non-loopback");
  }

  /** The gateway block exactly as `openclaw onboard` writes it (spec/examples/clawdbot.after-onboard.json). */
  @Test
  void startsOnAConfigWrittenByOpenClawAndTakesItsGatewayToken() throws Exception {
    int free;
    try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    String openClawToken = "0123456789abcdef0123456789abcdef0123456789abcdef";
    Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"mode\": \"local\", \"auth\": {\"mode\": \"token\","
        + " \"token\": \"" + openClawToken + "\"}, \"port\": " + free + ", \"bind\": \"loopback\","
        + " \"tailscale\": {\"mode\": \"off\", \"resetOnExit\": false}},"
        + " \"models\": {\"providers\": {\"anthropic\": {\"baseUrl\": \"http://127.0.0.1:" + provider.getAddress().getPort() + "\"}}}}");
    gateway = cli.start("gateway");
    java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("Clawauth gateway listening on http://127.0.0.1:" + free
        + " (token: `clawauth gateway token`, gateway.auth.token in " + state.resolve("openclaw.json") + ")");
    assertThat(cli.run("gateway", "token").stdout().strip()).isEqualTo(openClawToken);
    assertThat(send("http://127.0.0.1:" + free, openClawToken).statusCode()).isEqualTo(200);

    // A second gateway on the same port says what is in the way and what to do, in one line.
    var second = cli.run("gateway");
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.stderr().strip().lines()).hasSize(1);
    assertThat(second.stderr()).contains("cannot listen on 127.0.0.1:" + free).contains("--port");

    // As for OpenClaw's gateway, $OPENCLAW_GATEWAY_TOKEN comes before the config's token.
    cli.env("OPENCLAW_GATEWAY_TOKEN", "from-the-environment-0123456789");
    assertThat(cli.run("gateway", "token").stdout().strip()).isEqualTo("from-the-environment-0123456789");
    cli.env("OPENCLAW_GATEWAY_TOKEN", null);
  }

  /** Beside a running OpenClaw gateway: clawauth.json gives Clawauth's its own port; openclaw.json is left alone. */
  @Test
  void clawauthJsonGivesItsOwnPortBesideOpenClawsGateway() throws Exception {
    try (var openClawsGateway = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int ours = probe.getLocalPort();
      probe.close();
      String openclaw = "{ gateway: { port: " + openClawsGateway.getLocalPort() + ", bind: 'loopback' }, models: { providers: "
          + "{ anthropic: { baseUrl: 'http://127.0.0.1:" + provider.getAddress().getPort() + "' } } } }";
      Files.writeString(state.resolve("openclaw.json"), openclaw);
      Files.writeString(state.resolve("clawauth.json"), "{ gateway: { port: " + ours + ", maxBodyBytes: 1000 } }");
      gateway = cli.start("gateway");
      java.io.BufferedReader out = new java.io.BufferedReader(
          new java.io.InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).startsWith("Clawauth gateway listening on http://127.0.0.1:" + ours + " ");
      String token = cli.run("gateway", "token").stdout().strip();
      assertThat(send("http://127.0.0.1:" + ours, token).statusCode()).isEqualTo(200);
      HttpResponse<String> big = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ours + "/v1/messages"))
          .header("x-api-key", token).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + "x".repeat(2000) + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(Files.readString(state.resolve("openclaw.json"))).isEqualTo(openclaw);
    }
  }

  @Test
  void aBrokenClawauthJsonStopsTheGatewayWithItsLineAndColumn() throws Exception {
    Files.writeString(state.resolve("clawauth.json"), "{\n  gateway: { port: 1,, }\n}\n");
    var r = cli.run("gateway", "--port", "0");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.stderr()).contains(state.resolve("clawauth.json").toString()).contains(":2:");
    assertThat(Files.readString(state.resolve("clawauth.json"))).isEqualTo("{\n  gateway: { port: 1,, }\n}\n");
  }

  @Test
  void aGatewaySettingOfTheWrongTypeOrRangeStopsTheGatewayInOneLine() throws Exception {
    Path own = state.resolve("clawauth.json");
    Files.writeString(own, "{\n  gateway: { port: 0,\n    maxBodyBytes: -5 } }\n");
    var r = cli.run("gateway");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).as(r.toString()).singleElement().asString()
        .isEqualTo("Error: " + own + ":3:19: gateway.maxBodyBytes is -5, not a whole number of bytes above 0."
            + " Fix it, or remove the key for its default; the gateway does not start until then.");
    Files.writeString(own, "{ gateway: { port: 'abc' } }\n");
    r = cli.run("gateway");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).as(r.toString()).singleElement().asString()
        .startsWith("Error: " + own + ":1:20: gateway.port is a string");
    // A flag out of range is refused as plainly.
    Files.delete(own);
    r = cli.run("gateway", "--port", "70000");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).as(r.toString()).singleElement().asString().contains("70000");
  }

  @Test
  void anOpenClawLanBindIsRefusedWithoutTheFlagAndNamesTheMode() throws Exception {
    Files.writeString(state.resolve("openclaw.json"), "{ gateway: { bind: 'lan', port: 0 } }");
    var r = cli.run("gateway");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.stderr()).contains("0.0.0.0 (bind \"lan\")").contains("--allow-non-loopback");
  }

  @Test
  void servesWithStoredCredentialsAndSeesCliChangesAndPersistsCooldowns() throws Exception {
    ClawauthProcess.Gateway started = cli.startGateway();
    gateway = started.process();
    String url = started.url();
    String token = cli.run("gateway", "token").stdout().strip();

    assertThat(send(url, token).statusCode()).isEqualTo(200);
    assertThat(seenKeys).containsExactly(KEY_A);

    var order = cli.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:b", "anthropic:a");
    assertThat(order.exitCode()).as(order.toString()).isZero();
    assertThat(send(url, token).statusCode()).isEqualTo(200);
    assertThat(seenKeys).containsExactly(KEY_A, KEY_B);

    cli.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:a", "anthropic:b");
    Files.writeString(state.resolve("limit-a"), "");
    assertThat(send(url, token).statusCode()).isEqualTo(200);
    assertThat(seenKeys).containsExactly(KEY_A, KEY_B, KEY_A, KEY_B);

    JsonNode status = null;
    for (int i = 0; i < 50; i++) {
      var s = cli.run("models", "status", "--json");
      status = new ObjectMapper().readTree(s.stdout());
      if (status.path("auth").path("unusableProfiles").toString().contains("anthropic:a")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(status.path("auth").path("unusableProfiles").toString()).contains("anthropic:a").contains("cooldown");
    assertThat(send(url, "wrong-token").statusCode()).isEqualTo(401);

    // A terminal chat through the running gateway: /model is answered by the gateway, text by the provider.
    var chat = cli.runWithInput("/model claude-opus-4-5@anthropic:b\nhello there\n/model status\n/exit\n",
        "chat", "--url", url, "--model", "claude-opus-4-5");
    assertThat(chat.exitCode()).as(chat.toString()).isZero();
    assertThat(chat.stdout()).contains("Model set to anthropic/claude-opus-4-5 using profile anthropic:b")
        .contains("hi").contains("anthropic:b (api_key) [pinned]");
    assertThat(seenKeys.get(seenKeys.size() - 1)).isEqualTo(KEY_B);
    assertThat(chat.stdout() + chat.stderr()).doesNotContain(KEY_A).doesNotContain(KEY_B);
  }

  @Test
  void chatFindsTheGatewayOnWhateverPortItRunsAndSaysWhereItLookedWhenNoneDoes() throws Exception {
    int closed;
    try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    Files.writeString(state.resolve("openclaw.json"), "{ gateway: { port: " + closed + " }, models: { providers: "
        + "{ anthropic: { baseUrl: 'http://127.0.0.1:" + provider.getAddress().getPort() + "' } } } }");
    ClawauthProcess.Gateway started = cli.startGateway();
    gateway = started.process();
    Path record = state.resolve("clawauth-gateway.url");
    assertThat(Files.readString(record).strip()).isEqualTo(started.url());

    var chat = cli.runWithInput("hello there\n/exit\n", "chat", "--model", "claude-opus-4-5");
    assertThat(chat.exitCode()).as(chat.toString()).isZero();
    assertThat(chat.stdout()).contains("through " + started.url()).contains("hi");

    // A clean stop takes the record away; chat then falls back on the config's port and says so.
    gateway.destroy();
    assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(record).doesNotExist();
    var none = cli.runWithInput("hello\n", "chat", "--model", "claude-opus-4-5");
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(1);
    assertThat(none.stderr().strip()).contains("cannot reach the gateway at http://127.0.0.1:" + closed
        + ", the config's gateway.port").contains("pass --url").doesNotContain("\n").doesNotContain("Exception:");

    // A record left by a gateway that was killed is named, so the user knows where the port came from.
    Files.writeString(record, "http://127.0.0.1:" + closed + "\n");
    var stale = cli.runWithInput("hello\n", "chat", "--model", "claude-opus-4-5");
    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.stderr()).contains("recorded in " + record);
  }

  private static HttpResponse<String> send(String url, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/messages"))
        .header("x-api-key", token).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
  }
}
