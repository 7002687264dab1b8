package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertRefused;
import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.snapshot;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class AgentsCommandTest {
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
  void addRegistersTheAgentAndCopiesNoCredentials() throws Exception {
    cli.runWithInput(PasteTokenCommandTest.TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    Path ws = home.resolve("work-ws");
    var r = cli.run("agents", "add", "Work", "--non-interactive", "--workspace", ws.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path agentDir = state.resolve("agents/work/agent");
    assertThat(r.stdout()).contains("Updated " + state.resolve("openclaw.json"))
        .contains("Agent: work\n").contains("Workspace: " + ws + "\n").contains("Agent dir: " + agentDir + "\n");
    JsonNode list = json(state.resolve("openclaw.json")).path("agents").path("list");
    assertThat(list.toString()).isEqualTo("[{\"id\":\"main\"},{\"id\":\"work\",\"name\":\"work\",\"workspace\":\""
        + ws + "\",\"agentDir\":\"" + agentDir + "\"}]");
    assertThat(json(state.resolve("openclaw.json")).path("auth").path("profiles").has("anthropic:manual"))
        .as("the rest of the config is kept").isTrue();
    assertThat(StateFiles.posixMode(agentDir)).isEqualTo("rwx------");
    assertThat(Files.isDirectory(state.resolve("agents/work/sessions"))).isTrue();
    assertThat(Files.isDirectory(ws)).isTrue();
    assertThat(Files.exists(store(state, "work"))).as("no credentials copied").isFalse();

    var status = cli.run("models", "status", "--check", "--agent", "work");
    assertThat(status.exitCode()).as("the new agent has no credential of its own").isEqualTo(1);
    assertThat(cli.run("models", "status", "--check").exitCode()).isZero();
  }

  @Test
  void copyingCredentialsOnlyWhenAskedFor() throws Exception {
    Map<String, String> before = snapshot(state);
    var empty = cli.run("agents", "add", "work", "--non-interactive", "--copy-auth-from", "main");
    assertRefused(empty);
    assertThat(empty.stderr()).contains("has no auth profiles to copy");
    assertThat(snapshot(state)).isEqualTo(before);

    cli.runWithInput(PasteTokenCommandTest.TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    var r = cli.run("agents", "add", "work", "--non-interactive", "--copy-auth-from", "main");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Copied auth profiles from main: anthropic:manual");
    StateFiles.assertNoSecret(r, PasteTokenCommandTest.TOKEN);
    assertThat(json(store(state, "work")).path("profiles")).isEqualTo(json(store(state, "main")).path("profiles"));
    assertThat(StateFiles.posixMode(store(state, "work"))).isEqualTo("rw-------");
  }

  @Test
  void nonInteractiveDefaultsTheWorkspace() throws Exception {
    var r = cli.run("agents", "add", "ops", "--non-interactive");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Workspace: " + home.resolve("clawd-ops"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "a/b", "", " ", "_x", "über",
      "a1234567890123456789012345678901234567890123456789012345678901234"})
  void invalidIdsAreRefusedWithTheRule(String id) throws Exception {
    Map<String, String> before = snapshot(state);
    var r = cli.run("agents", "add", id, "--non-interactive", "--workspace", home.resolve("ws").toString());
    assertRefused(r);
    assertThat(r.stderr()).contains("letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters");
    assertThat(snapshot(state)).isEqualTo(before);
    assertThat(Files.exists(home.resolve("ws"))).isFalse();
  }

  @Test
  void withoutATerminalItFailsInsteadOfWaitingForAnAnswer() throws Exception {
    var r = cli.run("agents", "add", "work");
    assertRefused(r);
    assertThat(r.stderr()).contains("--workspace").contains("--non-interactive");
    assertThat(Files.exists(state)).isFalse();
  }

  @Test
  void anExistingAgentIsRefused() throws Exception {
    assertThat(cli.run("agents", "add", "work", "--non-interactive").exitCode()).isZero();
    Map<String, String> before = snapshot(state);
    assertRefused(cli.run("agents", "add", "work", "--non-interactive"));
    assertRefused(cli.run("agents", "add", "main", "--non-interactive"));
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void listShowsIdsDirsDefaultAndProfileCounts() throws Exception {
    cli.runWithInput(PasteTokenCommandTest.TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    cli.run("agents", "add", "work", "--non-interactive");
    var text = cli.run("agents", "list");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.stdout()).contains("- main (default) | agent dir: " + state.resolve("agents/main/agent") + " | profiles: 1")
        .contains("- work | agent dir: " + state.resolve("agents/work/agent") + " | profiles: 0");
    var js = cli.run("agents", "list", "--json");
    JsonNode arr = StateFiles.JSON.readTree(js.stdout());
    assertThat(arr).hasSize(2);
    assertThat(arr.get(0).path("default").asBoolean()).isTrue();
    assertThat(arr.get(0).path("profileCount").asInt()).isEqualTo(1);
    assertThat(arr.get(1).path("id").asText()).isEqualTo("work");
    assertThat(arr.get(1).path("profileCount").asInt()).isZero();
  }
}
