package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.testing.GatewayStreams;
import java.io.BufferedReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
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
    String rest = GatewayStreams.readToEnd(stream);
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
    assertThatThrownBy(() -> GatewayStreams.readToEnd(stream)).as("a cut chunked stream").isInstanceOf(java.io.IOException.class);
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

  @Test
  void idleConnectionsAndHeadsTricklingInWithoutTheTokenDoNotHoldTheStopUp() throws Exception {
    InetSocketAddress address = f.gateway.address();
    try (Socket idle = new Socket(); Socket trickling = new Socket()) {
      idle.connect(address, 2_000);
      idle.getOutputStream().write(("GET /v1/models HTTP/1.1\r\nHost: t\r\nx-api-key: " + f.token() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawAnswer.read(idle)).startsWith("HTTP/1.1 200 ");
      trickling.connect(address, 2_000);
      trickling.getOutputStream().write("POST /v1/messages HTTP/1.1\r\nHost: t\r\nconte".getBytes(StandardCharsets.US_ASCII));
      // Connections are accepted in order: once a later one is answered, this one is the gateway's.
      assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(f.url() + "/healthz")).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode()).isEqualTo(200);

      long t0 = System.nanoTime();
      f.gateway.close(Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(f.log()).contains("gateway: stopping, 0 requests in flight, grace 30s\n").doesNotContain("cut");
      idle.setSoTimeout(5_000);
      trickling.setSoTimeout(5_000);
      assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
      assertThat(trickling.getInputStream().read()).as("the trickling connection is closed").isEqualTo(-1);
    }
  }

  private BufferedReader openStream() throws Exception {
    return GatewayStreams.openMessageStream(f.url(), f.token());
  }

  private static void awaitRefused(InetSocketAddress address) throws Exception {
    GatewayStreams.awaitRefused(address, Duration.ofSeconds(10));
  }

  private JsonNode usage() throws Exception {
    return new ObjectMapper().readTree(Files.readString(f.store)).path("usageStats").path("anthropic:a");
  }
}
