package dev.clawauth.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (not a test): an honest client's requests through {@code bin/clawauth gateway} (its own
 * process) with no attack, then while {@code connections} slowloris connections without the token
 * (a byte every {@code dripMs}, reopened as soon as they are closed) hold on. Each honest request
 * is on a new connection, as a client whose pooled connection was closed makes it. Prints a
 * Markdown table: successes, 503s, other failures, p50/p99, and the gateway's log meanwhile.
 * Run with {@code bench/slowloris.sh}.
 */
public final class SlowlorisBench {
  private static final byte[] MESSAGE = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}").getBytes(StandardCharsets.UTF_8);
  private static final String BODY = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"x\"}]}";
  private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
  private static final AtomicLong LOG_LINES = new AtomicLong();
  private static final AtomicLong LOG_BYTES = new AtomicLong();

  private SlowlorisBench() {}

  record Run(String name, long ok, long refused503, long failed, double p50ms, double p99ms, double maxMs,
      long logLines, long logBytes, String attack) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    long dripMs = args.length > 2 ? Long.parseLong(args[2]) : 10_000;
    String launcher = System.getProperty("bench.launcher", "bin/clawauth");
    HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    provider.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    provider.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(200, MESSAGE.length);
      ex.getResponseBody().write(MESSAGE);
      ex.close();
    });
    provider.start();
    Path tmp = Files.createTempDirectory("clawauth-slowloris-bench");
    Path state = tmp.resolve("state");
    Process gateway = GatewayLoad.startGateway(launcher, tmp, "http://127.0.0.1:" + provider.getAddress().getPort(), "");
    List<Run> runs = new ArrayList<>();
    try {
      URI url = URI.create(listening(gateway));
      InetSocketAddress target = new InetSocketAddress(url.getHost(), url.getPort());
      String token = Files.readString(state.resolve("clawauth-gateway.token")).trim();
      System.out.printf("JDK %s, %d CPUs, load average %.1f at start; gateway: `%s gateway`; %d honest clients,"
          + " %.0f s per run; attack: %d connections, a byte every %d ms, reopened when closed%n%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), launcher,
          CLIENTS, seconds, connections, dripMs);
      honest(target, token, 3, "warm-up");
      runs.add(honest(target, token, seconds, "no attack"));
      try (Slowloris attack = new Slowloris(target, null, connections, dripMs, true).start()) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (attack.opened() < connections && System.nanoTime() < until) {
          Thread.sleep(50);
        }
        Run r = honest(target, token, seconds, "slowloris");
        runs.add(new Run(r.name(), r.ok(), r.refused503(), r.failed(), r.p50ms(), r.p99ms(), r.maxMs(), r.logLines(),
            r.logBytes(), attack.connected() + " open at the end, " + attack.opened() + " opened in all"));
      }
    } finally {
      gateway.descendants().forEach(ProcessHandle::destroy);
      gateway.destroy();
      provider.stop(0);
    }
    System.out.println("| run | honest requests ok | 503 | other failures | p50 ms | p99 ms | max ms | gateway log lines (bytes) | attack |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Run r : runs) {
      System.out.printf("| %s | %d | %d | %d | %.1f | %.1f | %.0f | %d (%d) | %s |%n", r.name(), r.ok(), r.refused503(),
          r.failed(), r.p50ms(), r.p99ms(), r.maxMs(), r.logLines(), r.logBytes(), r.attack() == null ? "—" : r.attack());
    }
    System.exit(0);
  }

  /** {@link #CLIENTS} threads, each sending requests one after another, each on a new connection. */
  private static Run honest(InetSocketAddress target, String token, double seconds, String name) throws Exception {
    byte[] request = ("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + token
        + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\nconnection: close\r\n"
        + "content-length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long lines0 = LOG_LINES.get();
    long bytes0 = LOG_BYTES.get();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          String status;
          try (Socket s = new Socket()) {
            s.connect(target, 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.readAllBytes();
          } catch (IOException e) {
            status = "failed";
          }
          long took = System.nanoTime() - t0;
          if (status.equals("HTTP/1.1 200")) {
            ok.incrementAndGet();
            latencies.add(took);
          } else if (status.equals("HTTP/1.1 503")) {
            refused.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Run(name, ok.get(), refused.get(), failed.get(), pct(lat, 0.50), pct(lat, 0.99),
        lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, LOG_LINES.get() - lines0, LOG_BYTES.get() - bytes0, null);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /** Waits for the gateway's "listening on" line; after it, counts the gateway's log lines. */
  private static String listening(Process p) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null;) {
      int at = line.indexOf("listening on http://");
      if (at >= 0) {
        Thread.ofVirtual().start(() -> {
          try {
            for (String l; (l = out.readLine()) != null;) {
              LOG_LINES.incrementAndGet();
              LOG_BYTES.addAndGet(l.length() + 1);
            }
          } catch (IOException ignored) {
            // the gateway stopped
          }
        });
        String url = line.substring(at + "listening on ".length());
        return url.substring(0, url.indexOf(' ') < 0 ? url.length() : url.indexOf(' '));
      }
      seen.append(line).append('\n');
    }
    throw new IOException("the gateway did not start:\n" + seen);
  }
}
