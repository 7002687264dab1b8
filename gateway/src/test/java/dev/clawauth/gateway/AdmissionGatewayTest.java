package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.gateway.bench.Slowloris;
import dev.clawauth.gateway.http.Admission;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of connections without the token, silent or sending a byte now and then and opened
 * again as soon as they are closed, while honest clients (each request on a new connection, the
 * worst case) are all served; refusals are summarised in the log, not a line each.
 */
class AdmissionGatewayTest {
  static final String KEY = "sk-ant-api03-" + "k".repeat(40) + "KKKK";
  static final String BODY = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;
  final List<Slowloris> attacks = new ArrayList<>();
  final ExecutorService honest = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() throws Exception {
    honest.shutdownNow();
    for (Slowloris s : attacks) {
      s.close();
    }
    if (f != null) {
      f.close();
    }
    assertThat(honest.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private void start(Duration headTimeout) throws Exception {
    f = new GatewayFixture(tmp);
    f.settings = f.settings.withUnauthenticated(headTimeout, 0, 0);
    f.store(storeJson("anthropic:k", apiKeyProfile("anthropic", KEY))).start();
  }

  private Slowloris attack(String from, int connections, long dripMs) throws Exception {
    Slowloris s = new Slowloris(new InetSocketAddress("127.0.0.1", f.gateway.port()),
        from == null ? null : new InetSocketAddress(InetAddress.getByName(from), 0), connections, dripMs, true);
    attacks.add(s);
    return s.start();
  }

  /** One request on a connection of its own, from {@code from}, after {@code pauseMs} of silence. */
  private String request(String from, long pauseMs) throws Exception {
    try (Socket s = new Socket()) {
      if (from != null) {
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      }
      s.connect(new InetSocketAddress("127.0.0.1", f.gateway.port()), 5_000);
      s.setSoTimeout(10_000);
      if (pauseMs > 0) {
        Thread.sleep(pauseMs);
      }
      s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
          + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\nconnection: close\r\n"
          + "content-length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      byte[] status = in.readNBytes(12);
      return new String(status, StandardCharsets.US_ASCII);
    }
  }

  /** A request on a kept connection; its whole answer. */
  private String keepAlive(Socket s) throws Exception {
    s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
        + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
        + "content-length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8));
    return RawAnswer.read(s);
  }

  private static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void honestClientsAreServedWhileTwoThousandConnectionsWithoutTheTokenHoldOn() throws Exception {
    start(Duration.ofSeconds(2));
    // Keep-alive connections that showed the token before the flood keep their slots throughout.
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = new Socket("127.0.0.1", f.gateway.port());
      held.add(s);
      s.setSoTimeout(10_000);
      assertThat(keepAlive(s)).startsWith("HTTP/1.1 200");
    }
    Slowloris silent = attack(null, 1100, 0);
    Slowloris dripping = attack(null, 900, 1_000);
    await("the attack's 2000 connections were made", Duration.ofSeconds(20),
        () -> silent.opened() + dripping.opened() >= 2000);
    try {
      // The flood reconnects as fast as it is evicted, so the host's CPU is busy: the deadline is generous.
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        answers.add(honest.submit((Callable<String>) () -> request(null, 0)));
      }
      for (Future<String> a : answers) {
        assertThat(a.get(25, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200");
      }
      // The flood was still on, and being churned, the whole time.
      assertThat(silent.closedByServer() + dripping.closedByServer()).isGreaterThan(1000);
      Admission<?> seats = admissionOf();
      assertThat(seats.unauthenticated()).isLessThanOrEqualTo(512);
      for (Socket s : held) {
        assertThat(keepAlive(s)).startsWith("HTTP/1.1 200");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    String metrics = f.gateway.metrics().render();
    assertThat(metrics).contains("clawauth_gateway_unauthenticated_refused_total{reason=\"evicted\"}")
        .contains("clawauth_gateway_connections{state=\"unauthenticated\"}");
    // All from 127.0.0.1: the per-address share (256) fills before the whole one (512).
    assertThat(f.gateway.metrics().unauthenticated(Admission.Reason.SOURCE_CAP)).isGreaterThan(1000);
    // Thousands of refusals, a handful of lines: the first 408 of an interval in full, then summaries.
    long lines = f.log().lines().count();
    assertThat(lines).as(f.log()).isLessThan(10);
  }

  @Test
  void connectionsWithoutTheTokenFromOneAddressDisplaceOnlyEachOther() throws Exception {
    start(Duration.ofSeconds(10));
    // 127.0.0.2 is loopback too, and another source address to the gateway.
    Slowloris flood = attack("127.0.0.2", 2000, 0);
    await("the attack's 2000 connections were made", Duration.ofSeconds(20), () -> flood.opened() >= 2000);
    // Clients of another address that wait a while before sending their head are not displaced:
    // the flood only evicts its own connections once it holds its share (a quarter of 1024).
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(honest.submit((Callable<String>) () -> request("127.0.0.1", 1_000)));
    }
    for (Future<String> a : answers) {
      assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200");
    }
    Admission<?> seats = admissionOf();
    assertThat(seats.total(Admission.Reason.SOURCE_CAP)).isGreaterThan(1000);
    assertThat(seats.total(Admission.Reason.EVICTED)).isZero();
  }

  @Test
  void aConnectionWithoutTheTokenMustCompleteItsHeadInTimeHoweverItTrickles() throws Exception {
    start(Duration.ofMillis(1_000));
    Slowloris silent = new Slowloris(new InetSocketAddress("127.0.0.1", f.gateway.port()), null, 5, 0, false);
    Slowloris dripping = new Slowloris(new InetSocketAddress("127.0.0.1", f.gateway.port()), null, 5, 100, false);
    attacks.add(silent.start());
    attacks.add(dripping.start());
    await("all ten were closed", Duration.ofSeconds(10),
        () -> silent.closedByServer() + dripping.closedByServer() == 10);
    Admission<?> seats = admissionOf();
    await("all ten were counted", Duration.ofSeconds(5), () -> seats.total(Admission.Reason.HEAD_TIMEOUT) == 10);
    await("their slots are free", Duration.ofSeconds(5), () -> seats.unauthenticated() == 0);
    // The first 408 of the interval is logged in full, the rest go to the summary.
    assertThat(f.log().lines().filter(l -> l.contains(" 408 ")).count()).as(f.log()).isEqualTo(1);
    assertThat(f.log()).contains("A connection without the token must send a complete request head within 1000 ms");
  }

  @Test
  void onlyTheTokenLiftsTheHeadDeadlineAHealthCheckDoesNot() throws Exception {
    start(Duration.ofMillis(500));
    try (Socket withToken = new Socket("127.0.0.1", f.gateway.port());
        Socket probe = new Socket("127.0.0.1", f.gateway.port())) {
      withToken.setSoTimeout(10_000);
      probe.setSoTimeout(10_000);
      assertThat(keepAlive(withToken)).startsWith("HTTP/1.1 200");
      probe.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(probe.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      Admission<?> seats = admissionOf();
      assertThat(seats.authenticated()).isEqualTo(1);
      // The probe's connection waits for its next head under the deadline, and is closed by it.
      long t0 = System.nanoTime();
      await("the probe's connection was closed", Duration.ofSeconds(10), () -> seats.unauthenticated() == 0);
      assertThat(probe.getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8).contains("\"status\"");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // Well past that deadline, the connection that showed the token is still open and served.
      assertThat(keepAlive(withToken)).startsWith("HTTP/1.1 200");
      assertThat(seats.total(Admission.Reason.HEAD_TIMEOUT)).isEqualTo(1);
    }
  }

  private Admission<?> admissionOf() {
    return f.gateway.admission();
  }
}
