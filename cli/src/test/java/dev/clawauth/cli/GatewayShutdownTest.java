package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.testing.GatewayStreams;
import dev.clawauth.testing.TestSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clawauth gateway} stopped by a signal, as a service manager stops it: the real jar, a
 * stream held open by the provider, and {@code kill}.
 */
class GatewayShutdownTest {
  static final String KEY = TestSecrets.get("ANTHROPIC_KEY");
  static final long DEADLINE_MS = 20_000;

  @TempDir
  Path tmp;
  Path state;
  Path store;
  FakeProvider provider;
  final CountDownLatch firstSent = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  ClawauthProcess cli;
  Process gateway;
  /** The gateway's stderr, line by line, as it comes. */
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    provider = new FakeProvider().holdStream(KEY, firstSent, release);
    state = tmp.resolve("state");
    store = state.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(store.getParent());
    Files.writeString(state.resolve("openclaw.json"), "{ models: { providers: { anthropic: { baseUrl: '"
        + provider.baseUrl() + "' } } } }");
    Files.writeString(store, "{\"version\":1,\"profiles\":{\"anthropic:a\":{\"type\":\"api_key\",\"provider\":\"anthropic\","
        + "\"key\":\"" + KEY + "\"}}}");
    Files.createDirectories(tmp.resolve("home"));
    cli = new ClawauthProcess(tmp.resolve("home"), state);
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (gateway != null && gateway.isAlive()) {
      gateway.destroyForcibly();
      gateway.waitFor(10, TimeUnit.SECONDS);
    }
    provider.close();
  }

  @Test
  void sigtermRefusesNewConnectionsLetsTheStreamFinishWritesItsUsageAndExitsZero() throws Exception {
    String url = startGateway();
    long before = System.currentTimeMillis();
    BufferedReader stream = openStream(url);

    signal("TERM");
    awaitRefused(url);
    awaitLog("gateway: stopping (SIGTERM), 1 request in flight, grace 10s");
    assertThat(gateway.isAlive()).as("waiting for the stream").isTrue();

    release.countDown();
    String rest = GatewayStreams.readToEnd(stream);
    assertThat(rest).contains("\"text\":\"drained\"").contains("event: message_stop");
    assertExitsZero();
    assertThat(log).contains("gateway: stopped").noneMatch(l -> l.contains("cut"));
    assertThat(usage().path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
    assertThat(String.join("\n", log)).doesNotContain(KEY).doesNotContain(token());
  }

  @Test
  void aStreamStillRunningWhenTheGraceExpiresIsCutAndTheGatewayStillExitsZeroWithItsUsageWritten() throws Exception {
    Files.writeString(state.resolve("clawauth.json"), "{ gateway: { shutdownGrace: '1s' } }");
    String url = startGateway();
    long before = System.currentTimeMillis();
    BufferedReader stream = openStream(url);

    signal("TERM");
    assertExitsZero();
    assertThatThrownBy(() -> GatewayStreams.readToEnd(stream)).as("a cut chunked stream").isInstanceOf(IOException.class);
    awaitLog("gateway: cut 1 request still in flight when the grace of 1s expired");
    assertThat(log).contains("gateway: stopping (SIGTERM), 1 request in flight, grace 1s", "gateway: stopped");
    assertThat(usage().path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void aSecondSigintCutsAtOnce() throws Exception {
    Files.writeString(state.resolve("clawauth.json"), "{ gateway: { shutdownGrace: '10m' } }");
    String url = startGateway();
    BufferedReader stream = openStream(url);

    signal("INT");
    awaitLog("gateway: stopping (SIGINT), 1 request in flight, grace 10m");
    signal("INT");
    assertExitsZero();
    awaitLog("gateway: cut 1 request still in flight at a second signal");
    assertThatThrownBy(() -> GatewayStreams.readToEnd(stream)).isInstanceOf(IOException.class);
  }

  /** Starts the gateway on a free port and collects its stderr; returns its URL. */
  private String startGateway() throws IOException {
    ClawauthProcess.Gateway started = cli.startGateway();
    gateway = started.process();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(gateway.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = err.readLine()) != null;) {
          log.add(line);
        }
      } catch (IOException ignored) {
        // the gateway is gone
      }
    });
    return started.url();
  }

  private String token() throws Exception {
    return cli.run("gateway", "token").stdout().strip();
  }

  private BufferedReader openStream(String url) throws Exception {
    BufferedReader in = GatewayStreams.openMessageStream(url, token());
    assertThat(firstSent.getCount()).isZero();
    return in;
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(gateway.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + name).isTrue();
  }

  private void assertExitsZero() throws Exception {
    assertThat(gateway.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)).as("the gateway exits; its log: " + log).isTrue();
    assertThat(gateway.exitValue()).as("exit status; its log: " + log).isZero();
  }

  private void awaitLog(String line) throws InterruptedException {
    long until = System.currentTimeMillis() + DEADLINE_MS;
    while (!log.contains(line) && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertThat(log).contains(line);
  }

  private static void awaitRefused(String url) throws Exception {
    URI u = URI.create(url);
    GatewayStreams.awaitRefused(new InetSocketAddress(u.getHost(), u.getPort()), Duration.ofMillis(DEADLINE_MS));
  }

  private JsonNode usage() throws IOException {
    return new ObjectMapper().readTree(Files.readString(store)).path("usageStats").path("anthropic:a");
  }
}
