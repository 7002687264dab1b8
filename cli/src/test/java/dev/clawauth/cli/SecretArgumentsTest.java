package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.TestSecrets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret typed where the parser did not expect it is named by its position, never printed back. */
final class SecretArgumentsTest {
  @TempDir
  Path tmp;

  private ClawauthProcess.Result run(String... args) throws Exception {
    return new ClawauthProcess(java.nio.file.Files.createDirectories(tmp.resolve("home")), tmp.resolve("state")).run(args);
  }

  @Test
  void aKeyGivenAsAnExtraArgumentIsNotEchoed() throws Exception {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    var r = run("models", "auth", "paste-token", "--provider", "anthropic", key);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("<argument 6>").doesNotContain(key).doesNotContain(key.substring(12, 30));
  }

  @Test
  void aKeyGivenAsAnUnknownOptionsValueIsNotEchoedEvenWithVerbose() throws Exception {
    String token = TestSecrets.get("ANTHROPIC_TOKEN");
    var r = run("models", "auth", "paste-token", "--provider", "anthropic", "--token=" + token, "--verbose");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).doesNotContain(token).doesNotContain(token.substring(12, 30)).contains("<argument 6>");
  }

  @Test
  void aKeyGivenWhereAProfileIdBelongsIsNotEchoedByTheCommandsOwnErrorEvenWithVerbose() throws Exception {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    var r = run("models", "auth", "remove", key, "--yes", "--verbose");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("<argument 4>").contains("CliException")
        .doesNotContain(key).doesNotContain(key.substring(12, 30));
  }
}
