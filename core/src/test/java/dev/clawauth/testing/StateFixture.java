package dev.clawauth.testing;

import dev.clawauth.AgentContext;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A home directory, a state directory ({@code OPENCLAW_STATE_DIR}) and a working directory under
 * one temp dir, with an environment that holds only what the test puts in it.
 */
public final class StateFixture {
  public final Path home;
  public final Path state;
  public final Path cwd;
  public final Map<String, String> vars = new LinkedHashMap<>();

  public StateFixture(Path root) throws IOException {
    home = Files.createDirectories(root.resolve("home"));
    cwd = Files.createDirectories(root.resolve("cwd"));
    state = root.resolve("state");
    vars.put("OPENCLAW_STATE_DIR", state.toString());
  }

  public StateFixture set(String name, String value) {
    vars.put(name, value);
    return this;
  }

  public Environment env() {
    return new Environment(Map.copyOf(vars), home, cwd);
  }

  public AgentContext open(String agentId, long nowMillis) throws IOException, JsonFileException {
    return AgentContext.open(env(), agentId, Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC));
  }

  public AgentContext open(long nowMillis) throws IOException, JsonFileException {
    return open(null, nowMillis);
  }

  public Path agentDir(String agentId) {
    return state.resolve("agents").resolve(agentId).resolve("agent");
  }

  public Path store(String agentId) {
    return agentDir(agentId).resolve("auth-profiles.json");
  }

  public Path config() {
    return state.resolve("openclaw.json");
  }

  public Path writeConfig(String json5) throws IOException {
    return write(config(), json5);
  }

  public Path writeStore(String agentId, String json) throws IOException {
    return write(store(agentId), json);
  }

  public static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
