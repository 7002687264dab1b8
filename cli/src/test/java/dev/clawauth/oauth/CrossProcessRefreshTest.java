package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.cli.ClawauthProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs refresh one expired profile at once, through the store's cross-process lock, against
 * the fake token endpoint; and a JVM killed while it holds that lock does not block the others for
 * longer than the stale limit.
 */
final class CrossProcessRefreshTest {
  static final String ID = "openai-codex:default";

  @TempDir
  Path tmp;
  FakeOAuthServer server;
  OAuthFixture fx;
  final List<Worker> workers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeOAuthServer();
    fx = new OAuthFixture(tmp, server, "openai-codex");
  }

  @AfterEach
  void stop() {
    workers.forEach(w -> w.process.destroyForcibly());
    server.close();
  }

  /** One child JVM running {@link RefreshWorker}, its stdout lines queued as they come. */
  final class Worker {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Thread reader;

    Worker(int threads) throws IOException {
      Path testClasses;
      try {
        testClasses = Path.of(RefreshWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IOException(e);
      }
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
          "-cp", ClawauthProcess.JAR.toAbsolutePath() + java.io.File.pathSeparator + testClasses,
          RefreshWorker.class.getName(), ID, Integer.toString(threads));
      pb.environment().clear();
      pb.environment().putAll(Map.of("HOME", fx.home.toString(), "OPENCLAW_STATE_DIR", fx.state.toString(),
          "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "LANG", "C.UTF-8"));
      pb.redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("workers.err").toFile()));
      process = pb.start();
      workers.add(this);
      reader = Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            lines.add(l);
          }
        } catch (IOException ignored) {
          // The process was killed.
        }
      });
    }

    void awaitReady() throws Exception {
      String l = lines.poll(60, TimeUnit.SECONDS);
      assertThat(l).as("worker ready; stderr: %s", stderr()).isEqualTo("READY");
    }

    void go() throws IOException {
      OutputStream in = process.getOutputStream();
      in.write("GO\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    List<String> finish() throws Exception {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
      assertThat(process.exitValue()).as("exit code; stderr: %s", stderr()).isZero();
      // All of its output, not what the reader happened to reach: it ends at the stream's end.
      assertThat(reader.join(java.time.Duration.ofSeconds(30))).as("worker output read").isTrue();
      return new ArrayList<>(lines);
    }
  }

  private String stderr() {
    try {
      Path p = tmp.resolve("workers.err");
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void fourProcessesOf32Threads_causeExactlyOneRefresh_andAllGetTheNewToken() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    // A slow token endpoint keeps the winner inside the lock while the others pile up behind it.
    server.refreshDelay(500);
    for (int i = 0; i < 4; i++) {
      new Worker(32);
    }
    for (Worker w : workers) {
      w.awaitReady();
    }
    long t0 = System.nanoTime();
    for (Worker w : workers) {
      w.go();
    }
    List<String> results = new ArrayList<>();
    for (Worker w : workers) {
      results.addAll(w.finish());
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    String expected = RefreshWorker.digest(server.latestAccess);
    List<String> oks = results.stream().filter(l -> l.startsWith("OK ")).toList();
    assertThat(results).filteredOn(l -> l.startsWith("FAIL")).isEmpty();
    assertThat(oks).hasSize(128).allMatch(l -> l.endsWith(" " + expected));
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    assertThat(server.refreshesGranted.get()).isEqualTo(1);
    assertThat(server.refreshReuse.get()).isZero();
    assertThat(Files.readString(fx.storeFile())).contains(server.latestRefresh);
    assertThat(fx.storeFile().resolveSibling("auth-profiles.json.lock")).doesNotExist();
    Map<String, Long> outcomes = oks.stream().collect(Collectors.groupingBy(l -> l.split(" ")[1], Collectors.counting()));
    System.out.println("4 JVMs x 32 threads: token endpoint saw " + server.refreshRequests.get()
        + " refresh request(s); outcomes " + outcomes + "; " + ms + " ms from GO to the last exit");
  }

  @Test
  void aProcessKilledWhileHoldingTheLock_blocksOthersNoLongerThanTheStaleLimit() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    // The first refresh request never gets an answer: its sender sits inside the lock until killed.
    server.then(new FakeOAuthServer.Hang());
    Worker victim = new Worker(1);
    victim.awaitReady();
    victim.go();
    assertThat(server.firstRefreshSeen.await(60, TimeUnit.SECONDS)).isTrue();
    Path lock = fx.storeFile().resolveSibling("auth-profiles.json.lock");
    assertThat(lock).isDirectory();

    victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, no release
    assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.nanoTime();
    assertThat(lock).as("the dead holder's lock is left behind").isDirectory();

    Worker a = new Worker(8);
    Worker b = new Worker(8);
    a.awaitReady();
    b.awaitReady();
    a.go();
    b.go();
    List<String> results = new ArrayList<>(a.finish());
    results.addAll(b.finish());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

    String expected = RefreshWorker.digest(server.latestAccess);
    assertThat(results).as("after %d ms (token endpoint saw %d refresh requests): %s; stderr: %s", waitedMs,
            server.refreshRequests.get(), results, stderr())
        .filteredOn(l -> l.startsWith("OK ")).hasSize(16).allMatch(l -> l.endsWith(" " + expected));
    assertThat(server.refreshesGranted.get()).isEqualTo(1);
    assertThat(server.refreshReuse.get()).isZero();
    assertThat(lock).doesNotExist();
    // Stale limit 30 s from the dead holder's last touch, plus backoff and JVM start-up.
    assertThat(waitedMs).isLessThan(30_000 + 10_000);
    System.out.println("killed lock holder: the others finished " + waitedMs + " ms after the SIGKILL");
  }
}
