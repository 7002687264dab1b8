package dev.clawauth.cli.postgres;

import com.sun.net.httpserver.HttpServer;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.testing.PgCluster;
import dev.clawauth.testing.TestSecrets;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (not a test): the gateway with the PostgreSQL store against the same gateway with the
 * file store, at one concurrency (default 16), closed loop, keep-alive connections, JSON replies
 * from a fake provider in this JVM. Runs alternate between the two gateways ({@code rounds}
 * each) and are pooled. Counts the database's write transactions (the agents' version moves) and
 * all its commits during the PostgreSQL runs. Run with {@code bench/postgres-gateway.sh}.
 */
public final class PostgresGatewayBench {
  private static final byte[] MESSAGE = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
      + "\"usage\":{\"input_tokens\":10,\"output_tokens\":6}}").getBytes(StandardCharsets.UTF_8);
  private static final String BODY = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

  private PostgresGatewayBench() {}

  record Run(long[] latencies, long nanos, long errors) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    PgCluster pg = PgCluster.shared().orElseThrow(() -> new IllegalStateException(PgCluster.missing()));
    HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    provider.setExecutor(Executors.newFixedThreadPool(4));
    provider.createContext("/", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(200, MESSAGE.length);
        ex.getResponseBody().write(MESSAGE);
      }
    });
    provider.start();
    Path tmp = Files.createTempDirectory("clawauth-pg-bench");
    String openclaw = "{ models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:" + provider.getAddress().getPort()
        + "' } } }, gateway: { maxConcurrentRequests: 1024 } }";
    String profiles = "{\"version\":1,\"profiles\":{\"anthropic:bench\":{\"type\":\"api_key\",\"provider\":\"anthropic\","
        + "\"key\":\"" + TestSecrets.get("ANTHROPIC_KEY") + "\"},\"anthropic:bench2\":{\"type\":\"api_key\","
        + "\"provider\":\"anthropic\",\"key\":\"" + TestSecrets.get("ANTHROPIC_KEY_2") + "\"}}}";
    PgHosts hosts = new PgHosts(tmp);
    ClawauthProcess fileHost = hosts.filesHost("file", openclaw);
    hosts.writeFile("file", "main", profiles);
    var moved = fileHost.run("store", "migrate", "--to", pg.url(), "--schema", hosts.schema, "--key-file", "store.key");
    if (moved.exitCode() != 0) {
      throw new IllegalStateException(moved.stderr());
    }
    ClawauthProcess pgHost = hosts.host("pg", openclaw);
    List<Process> started = new ArrayList<>();
    try {
      ClawauthProcess.Gateway fileGw = fileHost.startGateway();
      started.add(fileGw.process());
      ClawauthProcess.Gateway pgGw = pgHost.startGateway();
      started.add(pgGw.process());
      String fileToken = fileHost.run("gateway", "token").stdout().strip();
      String pgToken = pgHost.run("gateway", "token").stdout().strip();
      // Warm both (JIT, pools) before measuring.
      run(fileGw.url(), fileToken, concurrency, 3);
      run(pgGw.url(), pgToken, concurrency, 3);
      List<Run> fileRuns = new ArrayList<>();
      List<Run> pgRuns = new ArrayList<>();
      long pgNanos = 0;
      long writes = 0;
      long commits = 0;
      for (int r = 0; r < rounds; r++) {
        // Which store goes first alternates too, so neither always runs on a machine the other warmed.
        if (r % 2 == 0) {
          fileRuns.add(run(fileGw.url(), fileToken, concurrency, seconds));
        }
        long[] before = dbCounters(pg, hosts.schema);
        Run p = run(pgGw.url(), pgToken, concurrency, seconds);
        long[] after = dbCounters(pg, hosts.schema);
        pgRuns.add(p);
        pgNanos += p.nanos();
        writes += after[0] - before[0];
        commits += after[1] - before[1];
        if (r % 2 == 1) {
          fileRuns.add(run(fileGw.url(), fileToken, concurrency, seconds));
        }
      }
      double[] f = summary(fileRuns);
      double[] q = summary(pgRuns);
      System.out.printf("JDK %s, %d CPUs, load average %.1f, concurrency %d, %d x %.0f s per store, alternating%n%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), concurrency,
          rounds, seconds);
      System.out.println("| store | requests/s | p50 µs | p99 µs | errors |");
      System.out.println("|---|---|---|---|---|");
      System.out.printf("| file (auth-profiles.json) | %.0f | %.0f | %.0f | %.0f |%n", f[0], f[1], f[2], f[3]);
      System.out.printf("| PostgreSQL | %.0f | %.0f | %.0f | %.0f |%n", q[0], q[1], q[2], q[3]);
      double secs = pgNanos / 1e9;
      System.out.printf("%nthroughput ratio PostgreSQL/file %.3f, added p99 %+.0f µs; database writes %.2f/s"
          + " (usage-stat transactions that changed rows), all commits %.2f/s%n", q[0] / f[0], q[2] - f[2],
          writes / secs, commits / secs);
    } finally {
      for (Process p : started) {
        p.destroy();
        p.waitFor();
      }
      provider.stop(0);
      try (var all = Files.walk(tmp)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    System.exit(0);
  }

  /** The agents' summed version (one per write that changed something) and the database's commits. */
  private static long[] dbCounters(PgCluster pg, String schema) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", PgCluster.USER);
    p.setProperty("password", pg.password());
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", p);
        Statement s = c.createStatement()) {
      long version;
      try (ResultSet r = s.executeQuery("SELECT coalesce(sum(version), 0) FROM " + schema + ".clawauth_agents")) {
        r.next();
        version = r.getLong(1);
      }
      // The statistics collector reports with a delay; ask it to flush this session's view.
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet r = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")) {
        r.next();
        return new long[] {version, r.getLong(1)};
      }
    }
  }

  private static double[] summary(List<Run> runs) {
    long n = 0;
    long nanos = 0;
    long errors = 0;
    List<long[]> all = new ArrayList<>();
    for (Run r : runs) {
      n += r.latencies().length;
      nanos += r.nanos();
      errors += r.errors();
      all.add(r.latencies());
    }
    long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new double[] {n / (nanos / 1e9), lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, errors};
  }

  /** {@code concurrency} keep-alive connections, each sending the next request as soon as the last is answered. */
  private static Run run(String url, String token, int concurrency, double seconds) throws Exception {
    URI u = URI.create(url);
    byte[] request = ("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + token
        + "\r\ncontent-type: application/json\r\ncontent-length: " + BODY.length() + "\r\n\r\n" + BODY)
        .getBytes(StandardCharsets.UTF_8);
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> lat = new ArrayList<>();
    long[] counts = new long[concurrency];
    long[] errors = new long[concurrency];
    Thread[] threads = new Thread[concurrency];
    for (int i = 0; i < concurrency; i++) {
      long[] mine = new long[4_000_000];
      lat.add(mine);
      int id = i;
      threads[i] = Thread.ofPlatform().start(() -> {
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          while (!stop.get() && counts[id] < mine.length) {
            long t0 = System.nanoTime();
            out.write(request);
            out.flush();
            if (readResponse(in) != 200) {
              errors[id]++;
            }
            mine[(int) counts[id]++] = System.nanoTime() - t0;
          }
        } catch (IOException e) {
          errors[id]++;
        }
      });
    }
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    long nanos = System.nanoTime() - start;
    long[] all = new long[(int) Arrays.stream(counts).sum()];
    int at = 0;
    for (int i = 0; i < concurrency; i++) {
      System.arraycopy(lat.get(i), 0, all, at, (int) counts[i]);
      at += (int) counts[i];
    }
    return new Run(all, nanos, Arrays.stream(errors).sum());
  }

  /** Reads one response with a content-length body; returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int prev3 = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      head.append((char) b);
      prev3 = (prev3 << 8 | b) & 0xffffffff;
      if (prev3 == 0x0d0a0d0a) {
        break;
      }
    }
    String h = head.toString();
    int status = Integer.parseInt(h.substring(9, 12));
    int i = h.toLowerCase().indexOf("content-length:");
    int len = Integer.parseInt(h.substring(i + 15, h.indexOf('\r', i)).trim());
    in.readNBytes(len);
    return status;
  }
}
