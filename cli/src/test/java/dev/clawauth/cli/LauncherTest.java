package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/clawauth in a copy of the checkout: it builds the jar when it is missing and again when the
 * checkout moved past it (git pull, checkout, commit), and otherwise runs the jar as it is. The
 * build tool is a stub Maven wrapper in the copy that records each call and puts the real jar in place.
 */
class LauncherTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();

  @TempDir
  Path tmp;
  Path root;
  Path jar;
  Path ref;
  Path calls;

  @BeforeEach
  void copyOfTheCheckout() throws IOException {
    root = tmp.resolve("checkout");
    Files.createDirectories(root.resolve("bin/lib"));
    Files.copy(REPO.resolve("bin/clawauth"), root.resolve("bin/clawauth"));
    Files.copy(REPO.resolve("bin/lib/jdk.sh"), root.resolve("bin/lib/jdk.sh"));
    Files.createDirectories(root.resolve(".git/refs/heads"));
    Files.writeString(root.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    ref = root.resolve(".git/refs/heads/main");
    Files.writeString(ref, "0123456789abcdef0123456789abcdef01234567\n");
    jar = root.resolve("cli/target/clawauth.jar");
    Files.createDirectories(jar.getParent());
    calls = tmp.resolve("mvn-calls");
    stubMaven(0);
  }

  /** An mvnw that records its call and copies the real jar into place, then exits with {@code status}. */
  private void stubMaven(int status) throws IOException {
    Path mvn = root.resolve("mvnw");
    Files.writeString(mvn, "#!/bin/sh\necho \"$PWD $*\" >> '" + calls + "'\n"
        + (status == 0 ? "cp '" + ClawauthProcess.JAR.toAbsolutePath() + "' '" + jar + "'\n" : "echo 'stub build failed'\n")
        + "exit " + status + "\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Run(int exit, String out, String err) {}

  private Run clawauth(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("bin/clawauth").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("HOME", tmp.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("OPENCLAW_STATE_DIR", tmp.resolve("state").toString());
    // No background AOT training run: nothing may outlive the test.
    pb.environment().put("CLAWAUTH_AOT", "0");
    pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/clawauth did not finish");
    }
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
  }

  private long builds() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8).size() : 0;
  }

  private void jarOlderThanTheCheckout() throws IOException {
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));
  }

  @Test
  void buildsAMissingJarOnceThenRunsIt() throws Exception {
    Run first = clawauth("--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.err()).contains("building " + jar + " (first run only)");
    assertThat(builds()).isEqualTo(1);
    assertThat(Files.readString(calls)).startsWith(root + " ");

    Run second = clawauth("--version");
    assertThat(second.exit()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).doesNotContain("building");
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void keepsItsCachesUnderTheUsersCacheDirNotInTheCheckout() throws Exception {
    Files.copy(ClawauthProcess.JAR, jar, StandardCopyOption.REPLACE_EXISTING);
    Run r = clawauth("--version");
    assertThat(r.exit()).as(r.err()).isZero();
    Path cache = tmp.resolve(".cache/clawauth").resolve("checkout" + root.toString().replace("_", "__").replace("/", "_-"));
    assertThat(Files.readString(cache.resolve("java-home")).strip()).isEqualTo(System.getProperty("java.home"));
    assertThat(root.resolve(".cache")).doesNotExist();
  }

  @Test
  void rebuildsAfterTheBranchMovedPastTheJar() throws Exception {
    Files.copy(ClawauthProcess.JAR, jar, StandardCopyOption.REPLACE_EXISTING);
    assertThat(clawauth("--version").exit()).isZero();
    assertThat(builds()).isZero();

    // As after `git pull`: the branch's ref is written after the jar was built.
    jarOlderThanTheCheckout();
    Run r = clawauth("--version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("building " + jar + " (the checkout changed since it was built)");
    assertThat(builds()).isEqualTo(1);

    // Built once; the next run uses it.
    assertThat(clawauth("--version").err()).doesNotContain("building");
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void rebuildsAfterACheckoutOfAnotherBranchOrCommit() throws Exception {
    Files.copy(ClawauthProcess.JAR, jar, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(root.resolve(".git/HEAD"), "fedcba9876543210fedcba9876543210fedcba98\n");
    jarOlderThanTheCheckout();
    Files.setLastModifiedTime(ref, FileTime.from(Instant.now().minusSeconds(3600)));
    Run r = clawauth("--version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("(the checkout changed since it was built)");
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void aFailedRebuildWarnsAndRunsThePreviousJarButAFailedFirstBuildStops() throws Exception {
    stubMaven(1);
    Run none = clawauth("--version");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("stub build failed").contains("clawauth: the build failed");

    Files.copy(ClawauthProcess.JAR, jar, StandardCopyOption.REPLACE_EXISTING);
    jarOlderThanTheCheckout();
    Run stale = clawauth("--version");
    assertThat(stale.exit()).as(stale.err()).isZero();
    assertThat(stale.out()).contains("clawauth");
    assertThat(stale.err()).contains("warning: running the previous build of " + jar);
  }
}
