package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files with secrets are 0600 in 0700 directories, whatever the umask (spec store.md). */
final class PermissionsTest {
  @TempDir
  Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void writtenStoreIs0600AndCreatedDirectoriesAre0700UnderAPermissiveUmask() throws Exception {
    Scenario s = new Scenario(tmp);
    s.clawauth.umask("000");
    // The legacy file makes order set create the store, and with it every directory on the way.
    s.write(s.state.resolve("credentials/oauth.json"), """
        {"openai-codex": {"access": "%s", "refresh": "%s", "expires": %d}}
        """.formatted(TestSecrets.get("LEGACY_ACCESS"), TestSecrets.get("LEGACY_REFRESH"),
        System.currentTimeMillis() + 3_600_000));
    var r = s.run("models", "auth", "order", "set", "--provider", "openai-codex", "openai-codex:default");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(mode(s.store())).isEqualTo("rw-------");
    assertThat(mode(s.agentDir("main"))).isEqualTo("rwx------");
    assertThat(mode(s.agentDir("main").getParent())).isEqualTo("rwx------");
    assertThat(mode(s.state.resolve("agents"))).isEqualTo("rwx------");
  }

  @Test
  void rewritingALooseStoreLeavesIt0600() throws Exception {
    Scenario s = new Scenario(tmp);
    s.clawauth.umask("000");
    s.writeStore(s.example("auth-profiles.after-paste-token.json"));
    Files.setPosixFilePermissions(s.store(), PosixFilePermissions.fromString("rw-rw-rw-"));
    var r = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:manual");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(mode(s.store())).isEqualTo("rw-------");
  }

  @Test
  void theLockDirectoryIs0700UnderAPermissiveUmask() throws Exception {
    Path store = tmp.resolve("auth-profiles.json");
    Path testClasses = Path.of(dev.clawauth.cli.interop.LockHolderMain.class.getProtectionDomain()
        .getCodeSource().getLocation().toURI());
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder("/bin/sh", "-c", "umask 000 && exec \"$0\" -cp \"$1\" "
        + dev.clawauth.cli.interop.LockHolderMain.class.getName() + " \"$2\"", javaBin,
        ClawauthProcess.JAR.toAbsolutePath() + java.io.File.pathSeparator + testClasses, store.toString()).start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
      assertThat(out.readLine()).isEqualTo("locked");
      assertThat(mode(tmp.resolve("auth-profiles.json.lock"))).isEqualTo("rwx------");
      p.getOutputStream().close();
      assertThat(out.readLine()).isEqualTo("released");
    } finally {
      p.destroyForcibly();
    }
  }
}
