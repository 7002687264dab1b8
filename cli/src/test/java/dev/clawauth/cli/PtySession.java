package dev.clawauth.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real jar on a pseudo-terminal made by util-linux {@code script(1)}, so that the program
 * sees a terminal on stdin and stdout; the test types keystrokes and reads everything the terminal
 * would have shown.
 */
final class PtySession implements AutoCloseable {
  static final String DOWN = "\033[B";
  static final String UP = "\033[A";
  static final String ENTER = "\r";

  private final Process process;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final Thread pump;
  private int cursor;

  private PtySession(Process process) {
    this.process = process;
    this.pump = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (seen) {
            seen.write(buf, 0, n);
            seen.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // The process ended.
      }
    }, "pty-pump");
    pump.setDaemon(true);
    pump.start();
  }

  static boolean available() {
    return SetupTokenCommand.onPath("script").isPresent();
  }

  static PtySession start(Path home, Path state, Map<String, String> extraEnv, String... args) throws IOException {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
        ClawauthProcess.JAR.toAbsolutePath().toString()));
    java.addAll(List.of(args));
    StringBuilder cmd = new StringBuilder("stty cols 120 rows 40; exec");
    for (String a : java) {
      cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    ProcessBuilder pb = new ProcessBuilder("script", "-qfec", cmd.toString(), "/dev/null")
        .redirectErrorStream(true).directory(home.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("TERM", "xterm-256color");
    pb.environment().put("OPENCLAW_STATE_DIR", state.toString());
    pb.environment().putAll(extraEnv);
    return new PtySession(pb.start());
  }

  /**
   * Waits until the terminal shows {@code text} after the previous match (as expect(1) does);
   * fails with everything shown so far.
   */
  PtySession expect(String text) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (seen) {
      int at;
      while ((at = seen.toString(StandardCharsets.UTF_8).indexOf(text, cursor)) < 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("terminal never showed \"" + text + "\"; it showed:\n" + screen());
        }
        seen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      cursor = at + text.length();
    }
    return this;
  }

  PtySession type(String keys) throws IOException, InterruptedException {
    OutputStream in = process.getOutputStream();
    in.write(keys.getBytes(StandardCharsets.UTF_8));
    in.flush();
    // Let the program read one burst before the next, as a person typing would.
    Thread.sleep(150);
    return this;
  }

  /** Waits for the program to end and returns its exit code. */
  int waitFor() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 60 s; terminal showed:\n" + screen());
    }
    pump.join(5000);
    return process.exitValue();
  }

  String screen() {
    synchronized (seen) {
      return seen.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
