package dev.clawauth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One end-to-end scenario: a home dir, a state dir inside it, and the clawauth process to run there. */
final class Scenario {
  final Path home;
  final Path state;
  final ClawauthProcess clawauth;

  Scenario(Path tempDir) throws IOException {
    home = Files.createDirectories(tempDir.resolve("home"));
    state = home.resolve("state");
    clawauth = new ClawauthProcess(home, state);
  }

  ClawauthProcess.Result run(String... args) throws IOException, InterruptedException {
    return clawauth.run(args);
  }

  Path agentDir(String agent) {
    return state.resolve("agents").resolve(agent).resolve("agent");
  }

  Path store(String agent) {
    return agentDir(agent).resolve("auth-profiles.json");
  }

  Path store() {
    return store("main");
  }

  Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  Path writeStore(String text) throws IOException {
    return write(store(), text);
  }

  Path writeConfig(String name, String text) throws IOException {
    return write(state.resolve(name), text);
  }

  String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  String example(String name) throws IOException {
    return Files.readString(ClawauthProcess.specExample(name), StandardCharsets.UTF_8);
  }
}
