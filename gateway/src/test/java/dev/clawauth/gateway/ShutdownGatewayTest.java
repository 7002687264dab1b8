package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Gateway#close(Duration)}: new connections are refused at once, a stream in progress
 * finishes within the grace or is cut when it expires, and the usage stats are written either way.
 * The flush interval is an hour, so only the stop can have written them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownGatewayTest {
  static final String KEY = "sk-ant-api03-" + "s".repeat(40) + "SSSS";

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;
  final CountDownLatch firstSent = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:a", apiKeyProfile("anthropic", KEY)));
    f.settings = f.settings.withFlushInterval(Duration.ofHours(1));
    f.start();
    f.provider.when(KEY, FakeProvider.anthropicStreamHeld("Hello after the signal", firstSent, release));
  }

  @AfterEach
  void stop() {
    release.countDown();
    f.close();
  }

  @Test
  void aStreamInProgressFinishesWhileNewConnectionsAreRefusedAndItsUsageIsWritten() throws Exception {
    long before = System.currentTimeMillis();
    BufferedReader stream = openStream();
    InetSocketAddress address = f.gateway.address();
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> f.gateway.close(Duration.ofSeconds(30)));

    awaitRefused(address);
    assertThat(closed).as("waiting for the stream").isNotDone();
    assertThat(Files.readString(f.store)).doesNotContain("usageStats");

    release.countDown();
    String rest = readAll(stream);
    assertThat(rest).contains("\"text\":\"signal\"").contains("event: message_stop");
    closed.get(10, TimeUnit.SECONDS);
    assertThat(f.log()).contains("gateway: stopping, 1 request in flight, grace 30s\n")
        .contains("gateway: stopped\n").doesNotContain("cut");
    assertThat(usage().path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void aStreamStillRunningWhenTheGraceExpiresIsCutAndTheUsageIsStillWritten() throws Exception {
    long before = System.currentTimeMillis();
    BufferedReader stream = openStream();
    long t0 = System.nanoTime();
    f.gateway.close(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(10));
    assertThatThrownBy(() -> readAll(stream)).as("a cut chunked stream").isInstanceOf(java.io.IOException.class);
    assertThat(f.log()).contains("gateway: stopping, 1 request in flight, grace 300ms\n")
        .contains("gateway: cut 1 request still in flight when the grace of 300ms expired\n")
        .contains("gateway: stopped\n");
    assertThat(usage().path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void aSecondCallWaitsForTheFirstAndCutNowEndsTheWaitAtOnce() throws Exception {
    openStream();
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> f.gateway.close(Duration.ofMinutes(5)));
    awaitRefused(f.gateway.address());
    CompletableFuture<Void> second = CompletableFuture.runAsync(f.gateway::close);
    assertThat(first).isNotDone();
    f.gateway.cutNow();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(f.log()).contains("gateway: cut 1 request still in flight at a second signal\n");
    assertThat(f.log().split("gateway: stopped\n", -1)).as("one stop").hasSize(2);
  }

  /** Starts a streaming request and reads until the provider's first event has come through. */
  private BufferedReader openStream() throws Exception {
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages"))
        .header("x-api-key", f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      if (line.equals("event: message_start")) {
        return in;
      }
    }
    throw new AssertionError("the stream ended before its first event");
  }

  private static String readAll(BufferedReader in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (String line; (line = in.readLine()) != null;) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /** Polls until a connect to {@code address} is refused. */
  static void awaitRefused(InetSocketAddress address) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(address, 1_000);
      } catch (ConnectException refused) {
        return;
      }
      if (System.nanoTime() > until) {
        throw new AssertionError("the port still accepts connections 10 s after the stop began");
      }
      Thread.sleep(20);
    }
  }

  private JsonNode usage() throws Exception {
    return new ObjectMapper().readTree(Files.readString(f.store)).path("usageStats").path("anthropic:a");
  }
}
