package dev.clawauth.cli.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.json.Json;
import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenClaw 2026.9 CLI ({@code openclaw} 2026.9.6), installed by
 * {@code .ci/install-openclaw-2026.9.sh DIR} and named by {@code OPENCLAW_BIN}. It reads
 * {@code OPENCLAW_STATE_DIR}; HOME is a temp dir so nothing of the user's leaks in. Each command
 * takes 2-4 s (more on a loaded machine); {@code doctor --fix} about 45 s.
 *
 * <p>Every run's arguments (a test secret among them shown by its name) and output are appended to
 * {@code target/e2e-logs/openclaw9-<pid>.log}, which {@code bin/check-test-leaks} searches for
 * unmasked test secrets.
 */
final class OpenClaw9 {
  static final String BIN = System.getenv("OPENCLAW_BIN");

  /** Longer than any wait of OpenClaw's own (its state lock gives up after about 40 s). */
  static final long DEADLINE_SECONDS = 240;

  private static final Path LOG = ClawauthProcess.LOG.resolveSibling("openclaw9-" + ProcessHandle.current().pid() + ".log");

  private final Path home;
  private final Path state;

  OpenClaw9(Path home, Path state) {
    this.home = home;
    this.state = state;
  }

  Path state() {
    return state;
  }

  Process start(String... args) throws IOException {
    Files.createDirectories(home);
    return NodeCli.start(BIN, home, "OPENCLAW_STATE_DIR", state, args);
  }

  Result run(String stdin, String... args) throws IOException, InterruptedException {
    return finish(start(args), stdin, args);
  }

  /** {@code models status --json --check}: the status and, as exit code, the check's verdict. */
  Result status(String agent) throws IOException, InterruptedException {
    return run(null, "models", "status", "--json", "--check", "--agent", agent);
  }

  /**
   * Runs read-only commands, two at a time (this machine has two cores, and OpenClaw's own
   * processes queue on one state lock), each given as its arguments; results in the same order.
   */
  List<Result> runAll(List<List<String>> commands) throws IOException, InterruptedException {
    Result[] out = new Result[commands.size()];
    for (int i = 0; i < commands.size(); i += 2) {
      Process first = start(commands.get(i).toArray(String[]::new));
      Process second = i + 1 < commands.size() ? start(commands.get(i + 1).toArray(String[]::new)) : null;
      try {
        out[i] = finish(first, null, commands.get(i).toArray(String[]::new));
        if (second != null) {
          out[i + 1] = finish(second, null, commands.get(i + 1).toArray(String[]::new));
        }
      } finally {
        stop(first);
        if (second != null) {
          stop(second);
        }
      }
    }
    return List.of(out);
  }

  static Result finish(Process p, String stdin, String... args) throws IOException, InterruptedException {
    long started = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
    try {
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(new Result(List.of(args), -1, "", "", 0).command() + " did not finish in "
            + DEADLINE_SECONDS + " s");
      }
      Result r = new Result(List.of(args), p.exitValue(), out.join(), err.join(),
          System.currentTimeMillis() - started);
      log(r);
      return r;
    } finally {
      stop(p);
    }
  }

  /** Ends a process (and anything it started) that is still running. */
  static void stop(Process p) {
    if (p.isAlive()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void log(Result r) throws IOException {
    log(r.toString());
  }

  /** Appends to this JVM's log of OpenClaw runs (checked for leaks like Clawauth's own e2e log). */
  static synchronized void log(String text) throws IOException {
    Files.createDirectories(LOG.getParent());
    Files.writeString(LOG, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * The shared credential document ({@code authProfiles.store} of {@code state/openclaw.sqlite}),
   * read through a read-only connection; an empty object when there is none.
   */
  static JsonNode sharedStore(Path state) throws Exception {
    org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
    cfg.setReadOnly(true);
    cfg.setBusyTimeout(10_000);
    try (java.sql.Connection c = cfg.createConnection("jdbc:sqlite:" + state.resolve("state/openclaw.sqlite"));
        java.sql.PreparedStatement ps = c.prepareStatement(
            "SELECT value_json FROM config_machine_state WHERE state_key = 'authProfiles.store'");
        java.sql.ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Json.parseStrict(Path.of("authProfiles.store"), rs.getString(1)) : Json.object();
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  record Result(List<String> args, int exitCode, String stdout, String stderr, long millis) {
    /** The JSON on stdout; OpenClaw may print notes around it, on stderr. */
    JsonNode json() throws Exception {
      return Json.parseStrict(Path.of(command()), stdout);
    }

    /** The command line, a test secret among the arguments shown by its name. */
    String command() {
      return "openclaw " + TestSecrets.redact(String.join(" ", args));
    }

    @Override
    public String toString() {
      return command() + ": exit " + exitCode + " after " + millis + " ms\n--- stdout\n" + stdout + "--- stderr\n"
          + stderr;
    }
  }
}
