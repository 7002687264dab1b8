package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertRefused;
import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setup-token without a terminal: the token comes from standard input, or the command explains. */
final class SetupTokenCommandTest {
  static final String TOKEN = PasteTokenCommandTest.TOKEN;

  @TempDir
  Path home;
  Path state;
  ClawauthProcess cli;

  @BeforeEach
  void setUp() {
    state = home.resolve("state");
    cli = new ClawauthProcess(home, state);
  }

  @Test
  void pipedTokenIsStoredAsPasteTokenWould() throws Exception {
    var r = cli.runWithInput(TOKEN + "\r\n", "models", "auth", "setup-token", "--provider", "anthropic", "--expires-in", "365d");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth profile: anthropic:manual (anthropic/token)").doesNotContain(TOKEN);
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("expires").asLong())
        .isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void withNothingPipedItExplainsWhatToDo() throws Exception {
    var r = cli.run("models", "auth", "setup-token");
    assertRefused(r);
    assertThat(r.stderr()).contains("claude setup-token").contains("pipe the token");
    assertThat(Files.exists(state)).isFalse();
  }

  @Test
  void authAddNeedsATerminal() throws Exception {
    var r = cli.runWithInput(TOKEN, "models", "auth", "add");
    assertRefused(r, TOKEN);
    assertThat(r.stderr()).contains("paste-token --provider <id>");
    assertThat(Files.exists(state)).isFalse();
  }

  @Test
  void otherProvidersAreSentToPasteToken() throws Exception {
    var r = cli.runWithInput(TOKEN, "models", "auth", "setup-token", "--provider", "openai");
    assertRefused(r, TOKEN);
    assertThat(r.stderr()).contains("paste-token --provider openai");
    assertThat(Files.exists(state)).isFalse();
  }
}
