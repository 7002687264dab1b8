package dev.clawauth.env;

import dev.clawauth.state.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the variables a login shell would set, for keys that only live in ~/.profile and friends. */
@FunctionalInterface
public interface ShellEnv {

  /** The login shell's environment, or an empty map when it fails or takes longer than the timeout. */
  Map<String, String> read(Environment env, long timeoutMs);

  ShellEnv SYSTEM = (env, timeoutMs) -> run(env, timeoutMs, false);

  /**
   * What the login shell's profile itself sets: the shell starts from a bare environment (HOME,
   * USER, LOGNAME, SHELL, PATH, LANG), as a service manager would start it, so variables this
   * process merely inherited do not show up as the shell's.
   */
  ShellEnv PROFILE_ONLY = (env, timeoutMs) -> run(env, timeoutMs, true);

  private static Map<String, String> run(Environment env, long timeoutMs, boolean bare) {
    String shell = env.get("SHELL").orElse("/bin/sh");
    Process p = null;
    try {
      ProcessBuilder pb = new ProcessBuilder(shell, "-l", "-c", "env -0")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      if (bare) {
        Map<String, String> vars = pb.environment();
        vars.clear();
        vars.put("HOME", env.home().toString());
        vars.put("SHELL", shell);
        for (String keep : new String[] {"USER", "LOGNAME", "PATH", "LANG"}) {
          env.get(keep).ifPresent(v -> vars.put(keep, v));
        }
      }
      p = pb.start();
      Process proc = p;
      var out = new java.util.concurrent.CompletableFuture<byte[]>();
      Thread.ofVirtual().start(() -> {
        try (InputStream in = proc.getInputStream()) {
          out.complete(in.readAllBytes());
        } catch (IOException e) {
          out.complete(new byte[0]);
        }
      });
      if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        // Children first: once the shell is gone they are re-parented and out of reach.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return Map.of();
      }
      byte[] bytes = out.get(1, TimeUnit.SECONDS);
      Map<String, String> vars = new HashMap<>();
      for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0", -1)) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          vars.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      return vars;
    } catch (Exception e) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      return Map.of();
    }
  }
}
