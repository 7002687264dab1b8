package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers for what a command left on disk. */
final class StateFiles {
  private StateFiles() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /** Every file under {@code dir} with its bytes, to prove a refused command wrote nothing. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        out.put(dir.relativize(p).toString(), Files.isRegularFile(p)
            ? Arrays.toString(Files.readAllBytes(p)) : "<dir>");
      }
    }
    return out;
  }

  static JsonNode json(Path file) throws IOException {
    return JSON.readTree(Files.readString(file));
  }

  static Path store(Path state, String agent) {
    return state.resolve("agents").resolve(agent).resolve("agent").resolve("auth-profiles.json");
  }

  /** A refusal: exit 1, exactly one line on stderr, nothing on stdout that names the secret. */
  static void assertRefused(ClawauthProcess.Result r, String... secrets) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().strip().lines().count()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ");
    assertNoSecret(r, secrets);
  }

  static void assertNoSecret(ClawauthProcess.Result r, String... secrets) {
    for (String s : secrets) {
      assertThat(r.stdout()).as("stdout leaks a secret").doesNotContain(s);
      assertThat(r.stderr()).as("stderr leaks a secret").doesNotContain(s);
    }
  }

  static String posixMode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
