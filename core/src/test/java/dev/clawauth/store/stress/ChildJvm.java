package dev.clawauth.store.stress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StoreWriterMain} in its own JVM, started with this test JVM's class path. Its stdout
 * lines are queued as they arrive so a test can wait for one; stderr is kept for failure reports.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer err = new StringBuffer();
  private final Writer stdin;
  private final Thread outPump;

  private ChildJvm(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    outPump = pump(process.getInputStream(), line -> {
      all.add(line);
      lines.add(line);
    });
    pump(process.getErrorStream(), line -> err.append(line).append('\n'));
  }

  /** Starts {@code StoreWriterMain args}; {@code jvmOptions} go before the class name. */
  static ChildJvm start(List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small, quick-starting child: these tests start hundreds of them.
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
        "-XX:-UsePerfData"));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StoreWriterMain.class.getName());
    cmd.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(cmd).start());
  }

  private static Thread pump(java.io.InputStream stream, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException closed) {
        // The child was killed; what arrived before is kept.
      }
    }, "child-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the next stdout line that starts with {@code prefix}; earlier lines are skipped. */
  String await(String prefix, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("child did not print '" + prefix + "' within " + timeoutMillis
            + " ms; alive=" + process.isAlive() + "\nstdout tail: " + tail() + "\nstderr:\n" + err);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL on Linux; returns once the process is gone and its stdout is fully read. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    outPump.join(10_000);
  }

  int waitFor(long timeoutMillis) throws InterruptedException {
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit within " + timeoutMillis + " ms\nstderr:\n" + err);
    }
    outPump.join(10_000);
    return process.exitValue();
  }

  /** Every stdout line seen so far (complete lines only). */
  List<String> output() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  String stderr() {
    return err.toString();
  }

  private String tail() {
    List<String> out = output();
    return String.join(" | ", out.subList(Math.max(0, out.size() - 5), out.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
