package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers for state-dir files: writing them with exact modes, and checking what a command left on disk. */
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

  /** Creates {@code dir} and any missing parents with the given mode (e.g. "rwx------"). */
  static Path dir(Path dir, String mode) throws IOException {
    if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
      dir(dir.getParent(), mode);
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    return dir;
  }

  static Path file(Path file, String text, String mode) throws IOException {
    if (!Files.isDirectory(file.getParent())) {
      dir(file.getParent(), "rwx------");
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  static Path secret(Path file, String text) throws IOException {
    return file(file, text, "rw-------");
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** A login shell stand-in: prints {@code vars} as `env -0` would, whatever it is asked to run. */
  static Path fakeShell(Path dir, String... vars) throws IOException {
    StringBuilder script = new StringBuilder("#!/bin/sh\n");
    for (String v : vars) {
      script.append("printf '%s\\0' '").append(v).append("'\n");
    }
    Path sh = dir.resolve("fake-login-shell");
    Files.writeString(sh, script.toString());
    Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwx------"));
    return sh;
  }
}
