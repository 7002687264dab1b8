package dev.clawauth.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real coding client (Claude Code, Codex CLI) installed from npm, run as a person would run it
 * against the gateway: a clean environment with a temp HOME, no standard input, and a deadline
 * after which its whole process tree is killed.
 */
record ClientCli(String name, Path bin) {
  /** A client run must end within this, as a person's one-shot prompt would. */
  static final Duration DEADLINE = Duration.ofSeconds(90);

  record Result(int exit, String stdout, String stderr) {
    String both() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /**
   * The client named by {@code var} (set by .ci/run after its pinned install). Unset: the test is
   * skipped with how to install it, or fails where {@code CLAWAUTH_REQUIRE_CLIENTS=1} (CI, once the
   * installs succeeded).
   */
  static ClientCli fromEnv(String var, String name, String packageAtVersion, String command) {
    String value = System.getenv(var);
    boolean required = "1".equals(System.getenv("CLAWAUTH_REQUIRE_CLIENTS"));
    String missing = value == null || value.isBlank() ? var + " is not set"
        : !Files.isExecutable(Path.of(value)) ? var + "=" + value + " is not an executable file" : null;
    if (missing != null && required) {
      throw new IllegalStateException(missing + ", and CLAWAUTH_REQUIRE_CLIENTS=1 requires " + name);
    }
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing + "; install " + name + " with `npm install"
        + " --prefix DIR " + packageAtVersion + "` and set " + var + "=DIR/node_modules/.bin/" + command);
    return new ClientCli(name, Path.of(value));
  }

  /**
   * Runs the client in {@code work} with HOME={@code home}, only {@code env} and PATH set, and
   * waits for it within {@link #DEADLINE}: a run still going then fails the test after its process
   * tree is killed, so nothing outlives the test.
   */
  Result run(Path home, Path work, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Files.createDirectories(work);
    List<String> cmd = new ArrayList<>();
    cmd.add(bin.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(home, name + "-", ".out");
    Path err = Files.createTempFile(home, name + "-", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("TERM", "dumb");
    pb.environment().putAll(env);
    Process p = pb.start();
    // Collected while it runs: once the client exits, what it left running is no longer its descendant.
    java.util.Set<ProcessHandle> seen = new java.util.HashSet<>();
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(seen::add);
      if (System.nanoTime() > end) {
        p.destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(name + " did not finish within " + DEADLINE + " (killed):\n"
            + new Result(-1, read(out), read(err)).both());
      }
    }
    seen.forEach(ProcessHandle::destroyForcibly);
    return new Result(p.exitValue(), read(out), read(err));
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }
}
