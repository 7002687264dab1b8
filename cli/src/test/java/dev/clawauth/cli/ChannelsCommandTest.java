package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertNoSecret;
import static dev.clawauth.cli.StateFiles.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels list --json}, the documents' way to see profile ids, and typo suggestions. */
final class ChannelsCommandTest {
  static final String TOKEN = PasteTokenCommandTest.TOKEN;
  static final String OPENROUTER = PasteTokenCommandTest.OPENROUTER;

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
  void emptyStateHasThe2026Shape() throws Exception {
    long before = System.currentTimeMillis();
    var r = cli.run("channels", "list", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).isEmpty();
    ObjectNode got = (ObjectNode) StateFiles.JSON.readTree(r.stdout());
    long updatedAt = got.path("usage").path("updatedAt").asLong();
    assertThat(updatedAt).isBetween(before, System.currentTimeMillis());
    ObjectNode expected = (ObjectNode) json(ClawauthProcess.specExample("output.channels-list-json-empty-state.json")).path("stdout");
    ((ObjectNode) expected.path("usage")).put("updatedAt", updatedAt);
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void listsEveryProfileIdWithoutItsSecret() throws Exception {
    assertThat(cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic").exitCode()).isZero();
    assertThat(cli.runWithInput(OPENROUTER, "models", "auth", "paste-api-key", "--provider", "openrouter").exitCode()).isZero();
    var r = cli.run("channels", "list", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN, OPENROUTER);
    JsonNode auth = StateFiles.JSON.readTree(r.stdout()).path("auth");
    assertThat(auth).hasSize(2);
    assertThat(auth.get(0).toString()).isEqualTo(
        "{\"id\":\"anthropic:manual\",\"provider\":\"anthropic\",\"type\":\"token\",\"isExternal\":false}");
    assertThat(auth.get(1).toString()).isEqualTo(
        "{\"id\":\"openrouter:default\",\"provider\":\"openrouter\",\"type\":\"api_key\",\"isExternal\":false}");
    var text = cli.run("channels", "list");
    assertThat(text.exitCode()).isZero();
    assertThat(text.stdout()).contains("- anthropic:manual (token)").contains("- openrouter:default (api_key)");
  }

  @Test
  void aMistypedCommandSuggestsTheNearestOneReadyToPaste() throws Exception {
    var r = cli.run("models", "auth", "lst", "--json");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines().toList()).startsWith(
        "Error: Unmatched arguments from index 2: 'lst', '--json'",
        "Did you mean: clawauth models auth list --json?");
    var top = cli.run("chanels", "list", "--json");
    assertThat(top.exitCode()).isEqualTo(1);
    assertThat(top.stderr()).contains("Did you mean: clawauth channels list --json?");
    // A pasted key after the typo is never echoed back in the suggestion.
    var secret = cli.run("models", "auth", "paste-tokn", TOKEN);
    assertThat(secret.exitCode()).isEqualTo(1);
    assertNoSecret(secret, TOKEN);
    assertThat(secret.stderr()).contains("Did you mean: clawauth models auth paste-token?");
  }
}
