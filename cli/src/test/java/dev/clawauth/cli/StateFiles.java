package dev.clawauth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes state-dir files for end-to-end tests with exact modes, as OpenClaw would leave them. */
final class StateFiles {
  private StateFiles() {}

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
