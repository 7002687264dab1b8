package dev.clawauth.cli.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts an installed OpenClaw (or Clawdbot) CLI with a clean environment: only PATH, HOME, LANG,
 * NO_COLOR and the era's state-dir variable, so nothing of the developer's shell (keys, another
 * state dir) reaches it.
 */
final class NodeCli {
  private NodeCli() {}

  static Process start(String bin, Path home, String stateVar, Path state, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put(stateVar, state.toString());
    return pb.start();
  }
}
