package dev.clawauth.cli.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenClaw 2026.1 CLI ({@code clawdbot} 2026.1.24-3), installed by
 * {@code .ci/install-clawdbot-2026.1.sh DIR} and named by {@code CLAWDBOT_BIN}.
 * It reads {@code CLAWDBOT_STATE_DIR}; HOME is a temp dir so nothing of the user's leaks in.
 */
final class Clawdbot {
  static final String BIN = System.getenv("CLAWDBOT_BIN");

  private final Path home;
  private final Path state;

  Clawdbot(Path home, Path state) {
    this.home = home;
    this.state = state;
  }

  Process start(String... args) throws IOException {
    return NodeCli.start(BIN, home, "CLAWDBOT_STATE_DIR", state, args);
  }

  Result run(String stdin, String... args) throws IOException, InterruptedException {
    Process p = start(args);
    return finish(p, stdin, args);
  }

  static Result finish(Process p, String stdin, String... args) throws IOException, InterruptedException {
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("clawdbot " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
