package dev.clawauth.cli.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the host's programs to completion and keeps what it printed. */
public final class Exec {
  /** What a program answered; exit 127 when it is not installed, as a shell says. */
  public record Result(int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** The first non-blank line of stderr, else of stdout: what to quote when it failed. */
    public String why() {
      for (String s : List.of(err, out)) {
        for (String line : s.split("\n", -1)) {
          if (!line.isBlank()) {
            return line.strip();
          }
        }
      }
      return "exit code " + exit;
    }
  }

  private static final long TIMEOUT_SECONDS = 30;

  /**
   * How long to keep reading after the program exited: a child it left in the background
   * ({@code notify-send … &}) holds the pipes open, and its output is not the program's.
   */
  private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

  private final Host host;

  public Exec(Host host) {
    this.host = host;
  }

  public Host host() {
    return host;
  }

  public boolean has(String program) {
    return host.find(program).isPresent();
  }

  public Result run(String program, String... args) {
    return run(null, Map.of(), program, args);
  }

  /** Runs {@code program} with {@code stdin} (may be null) and extra environment variables. */
  public Result run(String stdin, Map<String, String> extraEnv, String program, String... args) {
    Path exe = host.find(program).orElse(null);
    if (exe == null) {
      return new Result(127, "", program + ": not found on PATH");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(host.env().vars());
    pb.environment().putAll(extraEnv);
    try {
      Process p = pb.start();
      Drain out = new Drain(p.getInputStream());
      Drain err = new Drain(p.getErrorStream());
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException closedEarly) {
        // a program that does not read its input is not an error
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, "", program + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      long until = System.nanoTime() + DRAIN_AFTER_EXIT.toNanos();
      return new Result(p.exitValue(), out.text(until), err.text(until));
    } catch (IOException e) {
      return new Result(126, "", program + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "", program + ": interrupted");
    }
  }

  /** Reads a stream on a virtual thread, which never keeps the JVM alive; what was read so far can be taken at any time. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread = Thread.ofVirtual().start(() -> {
        byte[] chunk = new byte[8192];
        try (in) {
          for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            synchronized (buffer) {
              buffer.write(chunk, 0, n);
            }
          }
        } catch (IOException closed) {
          // the program is gone: what was read is all there is
        }
      });
    }

    /** What was read by {@code until} ({@link System#nanoTime()}), or earlier at the end of the stream. */
    String text(long until) throws InterruptedException {
      thread.join(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
