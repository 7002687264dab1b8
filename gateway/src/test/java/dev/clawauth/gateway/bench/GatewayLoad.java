package dev.clawauth.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load harness (not a test): requests/s and p50/p99 latency through the gateway versus the same
 * fake provider called directly, at several concurrencies, streaming and not. The load generator
 * and the fake provider share this JVM; the gateway is {@code bin/clawauth gateway}, its own
 * process as in use. Each row alternates direct and gateway runs ({@code -Dbench.rounds}, default 4)
 * and pools them. Run with {@code gateway/bench/run.sh [seconds-per-row-and-side]}; prints a Markdown table.
 */
public final class GatewayLoad {
  private static final byte[] MESSAGE = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the benchmark provider\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":6}}").getBytes(StandardCharsets.UTF_8);
  private static final byte[][] EVENTS;

  static {
    String[] ev = {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":0}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"world\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"};
    EVENTS = Arrays.stream(ev).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  private GatewayLoad() {}

  /** {@code cpuUsPerRequest}: the gateway process's CPU per request (0 for direct runs). */
  record Result(double rps, double p50us, double p99us, long n, long errors, double cpuUsPerRequest) {
    /** Pools several runs of one side: all their latencies, requests over their summed time. */
    static Result of(List<Sample> runs) {
      long n = 0;
      long nanos = 0;
      long errors = 0;
      long cpu = 0;
      for (Sample r : runs) {
        n += r.latencies().length;
        nanos += r.nanos();
        errors += r.errors();
        cpu += r.cpuNanos();
      }
      long[] all = new long[(int) n];
      int k = 0;
      for (Sample r : runs) {
        System.arraycopy(r.latencies(), 0, all, k, r.latencies().length);
        k += r.latencies().length;
      }
      Arrays.sort(all);
      if (Boolean.getBoolean("bench.detail") && n > 0) {
        System.out.printf("    n=%d p90=%d p95=%d p98=%d p99=%d p99.5=%d p99.9=%d max=%d%n", n, all[(int) (n * 90 / 100)] / 1000,
            all[(int) (n * 95 / 100)] / 1000, all[(int) (n * 98 / 100)] / 1000, all[(int) (n * 99 / 100)] / 1000,
            all[(int) (n * 995 / 1000)] / 1000, all[(int) (n * 999 / 1000)] / 1000, all[(int) n - 1] / 1000);
      }
      return new Result(n / (nanos / 1e9), n == 0 ? 0 : all[(int) (n / 2)] / 1e3,
          n == 0 ? 0 : all[(int) Math.min(n - 1, n * 99 / 100)] / 1e3, n, errors, n == 0 ? 0 : cpu / 1e3 / n);
    }
  }

  /** One run: each request's latency, the run's length, and the gateway's CPU meanwhile. */
  record Sample(long[] latencies, long nanos, long errors, long cpuNanos) {}

  /** Runs per row, alternating direct and gateway, so that both meet the same moments of a shared host. */
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
  /**
   * The load generator and fake provider: "jdk" (java.net.http client and the JDK HttpServer, on
   * virtual threads, weighing per request about what an SDK client and a small server do) or "lean"
   * (a thread per connection writing and reading bytes built once: the direct side as cheap as it gets).
   */
  private static final boolean LEAN = "lean".equals(System.getProperty("bench.instrument", "jdk"));
  /** Requests per second for an open-loop run (all clients together); 0: closed loop, as fast as answered. */
  private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));
  /**
   * A file-name prefix: each run also writes every request's start (µs from the run's start),
   * latency (µs) and client, so that slow requests can be told apart (bursts, a run's first
   * moments, periodic work) and laid beside a GC or scheduler log.
   */
  private static final String TRACE = System.getProperty("bench.trace");
  private static final AtomicLong TRACES = new AtomicLong();

  public static void main(String[] args) throws Exception {
    // The fake provider's small SSE writes must not wait for a delayed ACK (Nagle).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int[] concurrencies = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 16, 64};
    String modes = args.length > 2 ? args[2] : "json,stream";
    String launcher = System.getProperty("bench.launcher", "bin/clawauth");
    HttpServer provider = LEAN ? null : fakeProvider();
    LeanProvider lp = LEAN ? new LeanProvider(MESSAGE, EVENTS) : null;
    Path tmp = Files.createTempDirectory("clawauth-gateway-bench");
    Path state = tmp.resolve("state");
    String base = "http://127.0.0.1:" + (lp != null ? lp.port() : provider.getAddress().getPort());
    Process gatewayProcess = startGateway(launcher, tmp, base, "gateway: { maxConcurrentRequests: 1024 }");
    try {
      String gw = listening(gatewayProcess);
      String token = Files.readString(state.resolve("clawauth-gateway.token")).trim();
      long gwPid = gatewayChild(gatewayProcess);
      System.out.printf("JDK %s, %d CPUs, load average %.1f at start, %.0f s per run, %s instrument; gateway: `%s gateway`, pid %d%n%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds,
          LEAN ? "lean" : "jdk", launcher, gwPid);
      if (RATE > 0) {
        System.out.printf("Open loop: %.0f requests/s offered on each side, latency from each request's scheduled start.%n%n", RATE);
      }
      // Both JVMs compile their hot paths first; a cold JIT would charge its work to the rows. Under
      // this load the gateway's compilers settle after 30-40 s (10 % of its CPU in the first 20 s,
      // 0.3 % after 40 s), so the warm-up goes on until both JVMs' compiler threads are quiet.
      long warmStart = System.nanoTime();
      int chunks = 0;
      for (boolean quiet = false; !quiet && chunks < WARM_MAX_CHUNKS; chunks++) {
        long[] self0 = jitAndAll(ProcessHandle.current().pid());
        long[] gw0 = jitAndAll(gwPid);
        for (boolean stream : new boolean[] {false, true}) {
          run(base, "", stream, 16, WARM_CHUNK_SECONDS, 0);
          run(gw, token, stream, 16, WARM_CHUNK_SECONDS, gwPid);
        }
        long[] self1 = jitAndAll(ProcessHandle.current().pid());
        long[] gw1 = jitAndAll(gwPid);
        quiet = chunks + 1 >= WARM_MIN_CHUNKS && share(self0, self1) < 0.02 && share(gw0, gw1) < 0.02;
      }
      System.out.printf("Warm-up: %.0f s, until the compiler threads of both JVMs used under 2 %% of their CPU.%n%n",
          (System.nanoTime() - warmStart) / 1e9);
      System.out.println("| mode | concurrency | direct req/s | gateway req/s | ratio | direct p50/p99 (µs) | gateway p50/p99 (µs) | added p50/p99 (µs) | gateway process CPU µs/req |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (boolean stream : new boolean[] {false, true}) {
        if (!modes.contains(stream ? "stream" : "json")) {
          continue;
        }
        for (int c : concurrencies) {
          run(base, "", stream, c, 1, 0); // new connections, this concurrency
          run(gw, token, stream, c, 1, gwPid);
          List<Sample> direct = new ArrayList<>();
          List<Sample> through = new ArrayList<>();
          for (int r = 0; r < ROUNDS; r++) {
            direct.add(run(base, "", stream, c, seconds / ROUNDS, 0));
            through.add(run(gw, token, stream, c, seconds / ROUNDS, gwPid));
          }
          Result d = Result.of(direct);
          Result g = Result.of(through);
          System.out.printf("| %s | %d | %.0f | %.0f | %.0f%% | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.0f |%n",
              stream ? "stream" : "json", c, d.rps, g.rps, 100 * g.rps / d.rps, d.p50us, d.p99us, g.p50us, g.p99us,
              g.p50us - d.p50us, g.p99us - d.p99us, g.cpuUsPerRequest);
          if (d.errors + g.errors > 0) {
            System.out.printf("  (errors: direct %d, gateway %d)%n", d.errors, g.errors);
          }
        }
      }
    } finally {
      gatewayProcess.descendants().forEach(ProcessHandle::destroy);
      gatewayProcess.destroy();
      gatewayProcess.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      gatewayProcess.descendants().forEach(ProcessHandle::destroyForcibly);
      gatewayProcess.destroyForcibly();
      if (provider != null) {
        provider.stop(0);
      }
    }
  }

  /**
   * Starts {@code launcher gateway --port 0} in its own process, as users run it, on a state dir
   * under {@code tmp} with one Anthropic API key whose provider is at {@code base}.
   */
  static Process startGateway(String launcher, Path tmp, String base, String moreConfig) throws IOException {
    Path state = tmp.resolve("state");
    Files.createDirectories(state.resolve("agents/main/agent"));
    Files.writeString(state.resolve("openclaw.json"), "{ models: { providers: { anthropic: { baseUrl: '" + base
        + "' } } }" + (moreConfig.isEmpty() ? "" : ", " + moreConfig) + " }");
    Files.writeString(state.resolve("agents/main/agent/auth-profiles.json"), "{\"version\":1,\"profiles\":{\"anthropic:bench\":"
        + "{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"sk-ant-api03-benchmark-key-0000000000\"}}}");
    ProcessBuilder pb = new ProcessBuilder(launcher, "gateway", "--port", "0").redirectErrorStream(true);
    pb.environment().put("OPENCLAW_STATE_DIR", state.toString());
    pb.environment().put("HOME", tmp.toString());
    pb.environment().remove("CLAWDBOT_STATE_DIR");
    Process gateway = pb.start();
    // A harness stopped with Ctrl-C or kill must not leave its gateway running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.descendants().forEach(ProcessHandle::destroy);
      gateway.destroy();
    }));
    return gateway;
  }

  /** Waits for the gateway's "listening on" line; its output after that is drained in the background. */
  private static String listening(Process p) throws IOException {
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null;) {
      int at = line.indexOf("listening on http://");
      if (at >= 0) {
        Thread.ofVirtual().start(() -> {
          try {
            while (out.readLine() != null) {
              // the gateway's log is not part of the figures
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

  /** The JVM the launcher script became (it execs, so usually the process itself). */
  private static long gatewayChild(Process p) {
    return p.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .map(ProcessHandle::pid).findFirst().orElse(p.pid());
  }

  private static final double WARM_CHUNK_SECONDS = 3;
  private static final int WARM_MIN_CHUNKS = 2;
  private static final int WARM_MAX_CHUNKS = Integer.getInteger("bench.warmMaxChunks", 12);

  /** CPU ticks of a process's JIT compiler threads and of all its threads (Linux /proc), or zeros. */
  private static long[] jitAndAll(long pid) {
    long jit = 0;
    long all = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          all += ticks;
          String comm = Files.readString(t.resolve("comm"));
          if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            jit += ticks;
          }
        } catch (IOException | RuntimeException threadGone) {
          // the thread ended while we looked
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[2];
    }
    return new long[] {jit, all};
  }

  private static double share(long[] before, long[] after) {
    long all = after[1] - before[1];
    return all <= 0 ? 0 : (double) (after[0] - before[0]) / all;
  }

  /** A process's user + system CPU time in nanoseconds (Linux /proc), or 0. */
  private static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** One request, answered to the end; returns its status. */
  private interface Sender {
    int send() throws IOException, InterruptedException;
  }

  private static Sample run(String base, String token, boolean stream, int concurrency, double seconds,
      long gatewayPid) throws Exception {
    HttpClient http = LEAN ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    byte[] body = ("{\"model\":\"claude-opus-4-5\",\"max_tokens\":64,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}").getBytes(StandardCharsets.UTF_8);
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("x-api-key", token.isEmpty() ? "direct" : token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    long[][] lat = new long[concurrency][];
    long[][] starts = new long[concurrency][];
    int[] counts = new int[concurrency];
    AtomicLong errors = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread[] workers = new Thread[concurrency];
    LeanClient[] leans = new LeanClient[concurrency];
    // This JVM's garbage is collected between runs, not during them: its pauses would stall both
    // sides' requests and show up as tail latency that is not the gateway's.
    System.gc();
    long cpu0 = cpuNanos(gatewayPid);
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      int w = i;
      lat[w] = new long[1 << 16];
      starts[w] = new long[1 << 16];
      LeanClient lean = LEAN ? new LeanClient(URI.create(base + "/v1/messages"), "content-type: application/json\r\n"
          + "anthropic-version: 2023-06-01\r\nx-api-key: " + (token.isEmpty() ? "direct" : token) + "\r\n", body) : null;
      leans[w] = lean;
      byte[] sink = new byte[8192];
      Sender sender = lean != null ? lean::send : () -> {
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
          while (in.read(sink) >= 0) {
            // drain
          }
        }
        return r.statusCode();
      };
      workers[w] = (LEAN ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
        // Open loop (bench.rate > 0): each client sends on a fixed schedule and latency counts from
        // the scheduled moment, so a stall is charged to every request it delays.
        long interval = RATE > 0 ? (long) (1e9 * concurrency / RATE) : 0;
        long next = System.nanoTime() + (interval * w) / concurrency;
        while (!stop.get()) {
          if (interval > 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
          }
          long t0 = interval > 0 ? next : System.nanoTime();
          next += interval;
          try {
            if (sender.send() != 200) {
              errors.incrementAndGet();
              continue;
            }
          } catch (IOException | InterruptedException e) {
            errors.incrementAndGet();
            continue;
          }
          long d = System.nanoTime() - t0;
          if (counts[w] == lat[w].length) {
            lat[w] = Arrays.copyOf(lat[w], lat[w].length * 2);
            starts[w] = Arrays.copyOf(starts[w], starts[w].length * 2);
          }
          starts[w][counts[w]] = t0 - start;
          lat[w][counts[w]++] = d;
        }
      });
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    for (LeanClient l : leans) {
      if (l != null) {
        l.close();
      }
    }
    long elapsed = System.nanoTime() - start;
    long cpu = cpuNanos(gatewayPid) - cpu0;
    int n = Arrays.stream(counts).sum();
    long[] all = new long[n];
    int k = 0;
    for (int i = 0; i < concurrency; i++) {
      System.arraycopy(lat[i], 0, all, k, counts[i]);
      k += counts[i];
    }
    if (http != null) {
      http.close();
    }
    if (TRACE != null) {
      writeTrace(Path.of(TRACE + "-" + (stream ? "stream" : "json") + "-c" + concurrency + "-"
          + (token.isEmpty() ? "direct" : "gateway") + "-" + TRACES.incrementAndGet() + ".tsv"), starts, lat, counts);
    }
    return new Sample(all, elapsed, errors.get(), cpu);
  }

  private static void writeTrace(Path file, long[][] starts, long[][] lat, int[] counts) throws IOException {
    StringBuilder sb = new StringBuilder("start_us\tlatency_us\tclient\n");
    for (int w = 0; w < counts.length; w++) {
      for (int i = 0; i < counts[w]; i++) {
        sb.append(starts[w][i] / 1000).append('\t').append(lat[w][i] / 1000).append('\t').append(w).append('\n');
      }
    }
    Files.writeString(file, sb);
  }

  private static HttpServer fakeProvider() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      boolean stream = new String(in, StandardCharsets.UTF_8).contains("\"stream\":true");
      if (stream) {
        ex.getResponseHeaders().set("content-type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (byte[] e : EVENTS) {
          out.write(e);
          out.flush();
        }
      } else {
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(200, MESSAGE.length);
        ex.getResponseBody().write(MESSAGE);
      }
      ex.close();
    });
    s.start();
    return s;
  }
}
