package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a real pseudo-terminal: the secret typed at a hidden prompt must never appear in
 * what the terminal showed, and must be stored.
 */
final class TerminalPromptTest {
  static final String TOKEN = "sk-ant-oat01-" + "TYPED".repeat(16);
  static final String KEY = "sk-ant-api03-" + "TYPEDKEY".repeat(8);
  static final String OPENROUTER = "sk-or-v1-" + "typedkey".repeat(8);

  @TempDir
  Path home;
  Path state;

  @BeforeEach
  void setUp() {
    assumeTrue(PtySession.available(), "util-linux script(1) is needed for terminal tests");
    state = home.resolve("state");
  }

  @Test
  void pasteTokenPromptIsMasked() throws Exception {
    try (PtySession t = PtySession.start(home, state, Map.of(), "models", "auth", "paste-token", "--provider", "anthropic")) {
      t.expect("Paste token for anthropic (input hidden): ").type(TOKEN + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).contains("Auth profile: anthropic:manual (anthropic/token)").contains("*****")
          .doesNotContain(TOKEN).doesNotContain("TYPEDTYPED");
    }
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("token").asText()).isEqualTo(TOKEN);
  }

  @Test
  void aBadPasteOnTheTerminalIsRefusedAndNotEchoed() throws Exception {
    try (PtySession t = PtySession.start(home, state, Map.of(), "models", "auth", "paste-token", "--provider", "anthropic")) {
      t.expect("(input hidden): ").type(KEY + PtySession.ENTER);
      assertThat(t.waitFor()).isEqualTo(1);
      assertThat(t.screen()).contains("This is an Anthropic API key").doesNotContain(KEY).doesNotContain("TYPEDKEYTYPEDKEY");
    }
    assertThat(Files.exists(state)).isFalse();
  }

  @Test
  void wizardPicksWithArrowKeysAndHidesTheKey() throws Exception {
    try (PtySession t = PtySession.start(home, state, Map.of(), "onboard")) {
      t.expect("How should this agent authenticate?");
      t.expect("8. Skip");
      // Anthropic API key -> setup-token -> Codex -> OpenRouter, then one back up and down again.
      t.type(PtySession.DOWN).type(PtySession.DOWN).type(PtySession.DOWN).type(PtySession.DOWN)
          .type(PtySession.UP).type(PtySession.ENTER);
      t.expect("Auth method: OpenRouter API key");
      t.expect("Paste API key for openrouter (input hidden): ");
      t.type("not-a-key with space" + PtySession.ENTER);
      t.expect("Try again (2 left)").expect("(input hidden): ");
      t.type(OPENROUTER + PtySession.ENTER);
      t.expect("Default model for your agents?");
      t.expect("Enter another model id");
      t.type(PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).contains("Auth profile: openrouter:default (openrouter/api_key)")
          .contains("Default model: openrouter/anthropic/claude-opus-4.5")
          .contains("Auth overview")
          .doesNotContain(OPENROUTER).doesNotContain("typedkeytypedkey");
    }
    JsonNode p = json(store(state, "main")).path("profiles").path("openrouter:default");
    assertThat(p.path("key").asText()).isEqualTo(OPENROUTER);
    assertThat(json(state.resolve("openclaw.json")).path("agents").path("defaults").path("model").path("primary").asText())
        .isEqualTo("openrouter/anthropic/claude-opus-4.5");
  }

  @Test
  void wizardRunsTheCodexLoginAndStopsWhenItFails() throws Exception {
    // Over SSH the login asks for the redirect URL; one from another attempt fails it, and the
    // wizard must stop there without storing anything.
    try (PtySession t = PtySession.start(home, state, Map.of("SSH_CLIENT", "192.0.2.1 50000 22"),
        "onboard", "--agent", "work")) {
      t.expect("8. Skip").type("3");
      t.expect("> 3. OpenAI Codex").type(PtySession.ENTER);
      t.expect("Starting `clawauth models auth login --provider openai-codex --agent work`");
      t.expect("Paste the redirect URL").type(
          "http://localhost:1455/auth/callback?code=abc&state=not-this-attempt" + PtySession.ENTER);
      t.expect("State mismatch");
      assertThat(t.waitFor()).as(t.screen()).isEqualTo(1);
      assertThat(t.screen()).contains("The OpenAI Codex login did not finish");
    }
    assertThat(Files.exists(store(state, "work"))).isFalse();
  }

  @Test
  void wizardAsksBeforeReplacingADifferentKey() throws Exception {
    var cli = new ClawauthProcess(home, state);
    assertThat(cli.run("onboard", "--non-interactive", "--anthropic-api-key", OnboardCommandTest.KEY).exitCode()).isZero();
    byte[] before = Files.readAllBytes(store(state, "main"));
    try (PtySession t = PtySession.start(home, state, Map.of(), "onboard")) {
      t.expect("8. Skip").type(PtySession.ENTER);
      t.expect("(input hidden): ").type(KEY + PtySession.ENTER);
      t.expect("already holds a different api_key").expect("Replace it? [y/N]").type(PtySession.ENTER);
      assertThat(t.waitFor()).isEqualTo(1);
      assertThat(t.screen()).contains("Kept the existing profile anthropic:default").doesNotContain(KEY);
    }
    assertThat(Files.readAllBytes(store(state, "main"))).isEqualTo(before);
  }

  @Test
  void authAddChoosesAndDelegates() throws Exception {
    try (PtySession t = PtySession.start(home, state, Map.of(), "models", "auth", "add", "--agent", "side")) {
      t.expect("What do you want to add?").expect("3. Paste an API key");
      t.type(PtySession.DOWN).type(PtySession.DOWN).type(PtySession.ENTER);
      t.expect("Provider id [anthropic]: ").type("openrouter" + PtySession.ENTER);
      t.expect("Paste API key for openrouter (input hidden): ").type(OPENROUTER + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).contains("Auth profile: openrouter:default (openrouter/api_key)").doesNotContain(OPENROUTER);
    }
    assertThat(json(store(state, "side")).path("profiles").path("openrouter:default").path("key").asText()).isEqualTo(OPENROUTER);
  }

  @Test
  void removeAsksOnTheTerminal() throws Exception {
    var cli = new ClawauthProcess(home, state);
    cli.runWithInput(PasteTokenCommandTest.TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    try (PtySession t = PtySession.start(home, state, Map.of(), "models", "auth", "remove", "anthropic:manual")) {
      t.expect("[y/N]").type("n" + PtySession.ENTER);
      assertThat(t.waitFor()).isEqualTo(1);
    }
    assertThat(json(store(state, "main")).path("profiles").has("anthropic:manual")).isTrue();
    try (PtySession t = PtySession.start(home, state, Map.of(), "models", "auth", "remove", "anthropic:manual")) {
      t.expect("[y/N]").type("y" + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
    }
    assertThat(json(store(state, "main")).path("profiles").has("anthropic:manual")).isFalse();
  }

  @Test
  void agentsAddAsksForTheWorkspace() throws Exception {
    try (PtySession t = PtySession.start(home, state, Map.of(), "agents", "add", "work")) {
      t.expect("Workspace directory [" + home.resolve("clawd-work") + "]: ").type("~/elsewhere" + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).contains("Workspace: " + home.resolve("elsewhere"));
    }
    assertThat(Files.isDirectory(home.resolve("elsewhere"))).isTrue();
  }

  @Test
  void setupTokenRunsClaudeAndKeepsTheTokenItPrints() throws Exception {
    Path bin = fakeClaude("""
        #!/bin/sh
        [ "$1" = "setup-token" ] || exit 2
        printf 'Opening browser to sign in...\\n'
        printf '\\033[32mLong-lived authentication token created successfully!\\033[0m\\n\\nYour OAuth token (valid for 1 year):\\n\\n%s\\n\\nStore this token securely.\\n' "$FAKE_TOKEN"
        """);
    Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_TOKEN", TOKEN);
    try (PtySession t = PtySession.start(home, state, env, "models", "auth", "setup-token", "--provider", "anthropic")) {
      t.expect("Captured the token from `claude setup-token`.");
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).contains("Auth profile: anthropic:manual (anthropic/token)");
    }
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("token").asText()).isEqualTo(TOKEN);
  }

  @Test
  void setupTokenFallsBackToTheHiddenPromptWhenClaudePrintsNoToken() throws Exception {
    Path bin = fakeClaude("#!/bin/sh\necho 'Something went wrong'\nexit 0\n");
    Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
    try (PtySession t = PtySession.start(home, state, env, "models", "auth", "setup-token")) {
      t.expect("Could not read a complete token").expect("(input hidden): ").type(TOKEN + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).doesNotContain(TOKEN);
    }
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("token").asText()).isEqualTo(TOKEN);
  }

  @Test
  void setupTokenWithoutClaudeExplainsAndPrompts() throws Exception {
    Path emptyBin = Files.createDirectories(home.resolve("nobin"));
    Map<String, String> env = Map.of("PATH", emptyBin + ":/usr/bin:/bin");
    try (PtySession t = PtySession.start(home, state, env, "models", "auth", "setup-token")) {
      t.expect("is not on PATH").expect("(input hidden): ").type(TOKEN + PtySession.ENTER);
      assertThat(t.waitFor()).as(t.screen()).isZero();
      assertThat(t.screen()).doesNotContain(TOKEN);
    }
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("token").asText()).isEqualTo(TOKEN);
  }

  private Path fakeClaude(String script) throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path claude = bin.resolve("claude");
    Files.writeString(claude, script);
    Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }
}
