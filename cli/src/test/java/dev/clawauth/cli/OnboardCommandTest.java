package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertNoSecret;
import static dev.clawauth.cli.StateFiles.assertRefused;
import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.snapshot;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class OnboardCommandTest {
  static final String KEY = PasteTokenCommandTest.API_KEY;
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
  void oneCommandFromNothingToAGreenCheck() throws Exception {
    assertThat(cli.run("models", "status", "--check").exitCode()).isEqualTo(1);
    var r = cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, KEY);
    assertThat(r.stdout()).startsWith("Updated " + state.resolve("openclaw.json") + "\n"
        + "Auth profile: anthropic:default (anthropic/api_key)\n"
        + "Default model: anthropic/claude-opus-4-5\n");
    assertThat(r.stdout()).contains("Auth overview").contains("anthropic:default=sk-ant-a...");
    assertThat(cli.run("models", "status", "--check").exitCode()).isZero();

    JsonNode expectedStore = StateFiles.JSON.readTree(ClawauthProcess.specExample("auth-profiles.after-onboard.json").toFile());
    assertThat(json(store(state, "main"))).isEqualTo(expectedStore);
    JsonNode expectedConfig = StateFiles.JSON.readTree(ClawauthProcess.specExample("clawdbot.after-onboard.json").toFile());
    JsonNode cfg = json(state.resolve("openclaw.json"));
    assertThat(cfg.path("auth")).isEqualTo(expectedConfig.path("auth"));
    assertThat(cfg.path("agents").path("defaults").path("model").path("primary").asText()).isEqualTo("anthropic/claude-opus-4-5");
  }

  @Test
  void acceptsThe2026Spelling() throws Exception {
    var r = cli.run("onboard", "--non-interactive", "--accept-risk", "--skip-health", "--auth-choice", "apiKey",
        "--anthropic-api-key", KEY);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:default").path("key").asText()).isEqualTo(KEY);
  }

  @Test
  void rerunningNeverDestroysAProfile() throws Exception {
    assertThat(cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY).exitCode()).isZero();
    Map<String, String> before = snapshot(state);
    var same = cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY);
    assertThat(same.exitCode()).as(same.toString()).isZero();
    assertThat(same.stdout()).contains("already stored, unchanged");
    assertThat(snapshot(state)).as("same key: nothing rewritten").isEqualTo(before);

    String other = KEY.replace("FAKEFAKEAA", "OTHEROTHER");
    var different = cli.run("onboard", "--non-interactive", "--anthropic-api-key", other);
    assertRefused(different, KEY, other);
    assertThat(different.stderr()).contains("already holds a different api_key").contains("--force");
    assertThat(snapshot(state)).isEqualTo(before);

    var forced = cli.run("onboard", "--non-interactive", "--anthropic-api-key", other, "--force");
    assertThat(forced.exitCode()).as(forced.toString()).isZero();
    assertThat(forced.stdout()).contains("replaced the previous credential");
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:default").path("key").asText()).isEqualTo(other);

    var beside = cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY, "--profile-id", "anthropic:second");
    assertThat(beside.exitCode()).as(beside.toString()).isZero();
    assertThat(json(store(state, "main")).path("profiles").size()).isEqualTo(2);
  }

  @Test
  void openRouterKeyIsInferredAndSetsAMatchingModel() throws Exception {
    var r = cli.run("onboard", "--non-interactive", "--openrouter-api-key", OPENROUTER);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth profile: openrouter:default (openrouter/api_key)")
        .contains("Default model: openrouter/anthropic/claude-opus-4.5");
    assertThat(cli.run("models", "status", "--check").exitCode()).isZero();
  }

  @Test
  void anExistingModelIsKeptUnlessModelIsGiven() throws Exception {
    assertThat(cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY).exitCode()).isZero();
    var r = cli.run("onboard", "--non-interactive", "--openrouter-api-key", OPENROUTER);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("Default model stays anthropic/claude-opus-4-5");
    var m = cli.run("onboard", "--non-interactive", "--openrouter-api-key", OPENROUTER, "--model", "openrouter/openai/gpt-5.2");
    assertThat(m.stdout()).contains("Default model: openrouter/openai/gpt-5.2");
    assertThat(json(state.resolve("openclaw.json")).path("agents").path("defaults").path("model").path("primary").asText())
        .isEqualTo("openrouter/openai/gpt-5.2");
  }

  @Test
  void setupTokenForAnotherAgent() throws Exception {
    var r = cli.run("onboard", "--non-interactive", "--auth-choice", "setup-token", "--token", TOKEN,
        "--token-expires-in", "365d", "--agent", "work");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN);
    JsonNode p = json(store(state, "work")).path("profiles").path("anthropic:default");
    assertThat(p.path("type").asText()).isEqualTo("token");
    assertThat(p.path("expires").asLong()).isGreaterThan(System.currentTimeMillis() + 364L * 86_400_000);
    assertThat(Files.exists(store(state, "main"))).as("other agents untouched").isFalse();
    assertThat(cli.run("models", "status", "--check", "--agent", "work").exitCode()).isZero();
  }

  @Test
  void tokenForAnyProviderAndKeyFromStdin() throws Exception {
    var t = cli.run("onboard", "--non-interactive", "--auth-choice", "token", "--token-provider", "groq",
        "--token", "gsk-like-token-value-123", "--model", "groq/llama-3.3-70b");
    assertThat(t.exitCode()).as(t.toString()).isZero();
    assertThat(t.stdout()).contains("Auth profile: groq:manual (groq/token)");
    var s = cli.runWithInput(OPENROUTER + "\n", "onboard", "--non-interactive", "--openrouter-api-key", "-", "--agent", "b");
    assertThat(s.exitCode()).as(s.toString()).isZero();
    assertThat(json(store(state, "b")).path("profiles").path("openrouter:default").path("key").asText()).isEqualTo(OPENROUTER);
  }

  /** The documents' spelling: a key flag from a script (no terminal) runs without --non-interactive. */
  @Test
  void aKeyFlagWithoutATerminalIsNonInteractive() throws Exception {
    var r = cli.run("onboard", "--anthropic-api-key", KEY);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, KEY);
    assertThat(r.stdout()).contains("Auth profile: anthropic:default (anthropic/api_key)");
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:default").path("key").asText()).isEqualTo(KEY);
  }

  @Test
  void setupTokenChoiceReadsThePipedToken() throws Exception {
    var r = cli.runWithInput(TOKEN + "\n", "onboard", "--auth-choice", "setup-token");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN);
    assertThat(r.stdout()).contains("Auth profile: anthropic:default (anthropic/token)");
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:default").path("token").asText()).isEqualTo(TOKEN);
  }

  @Test
  void setupTokenChoiceWithNothingPipedSaysWhatToPass() throws Exception {
    Map<String, String> before = snapshot(state);
    for (String input : List.of("", "\n")) {
      var r = cli.runWithInput(input, "onboard", "--auth-choice", "setup-token");
      assertRefused(r);
      assertThat(r.stderr()).contains("pass --token <token>").contains("pipe it on standard input");
    }
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void refusals() throws Exception {
    Map<String, String> before = snapshot(state);
    List<List<String>> cases = List.of(
        List.of("onboard"),
        List.of("onboard", "--non-interactive"),
        List.of("onboard", "--non-interactive", "--auth-choice", "claude-cli"),
        List.of("onboard", "--non-interactive", "--auth-choice", "apiKey"),
        List.of("onboard", "--non-interactive", "--auth-choice", "openai-codex"),
        List.of("onboard", "--non-interactive", "--anthropic-api-key", KEY, "--openrouter-api-key", OPENROUTER),
        List.of("onboard", "--non-interactive", "--anthropic-api-key", TOKEN),
        List.of("onboard", "--non-interactive", "--anthropic-api-key", OPENROUTER),
        List.of("onboard", "--non-interactive", "--token", "bad-token"),
        List.of("onboard", "--non-interactive", "--anthropic-api-key", KEY, "--agent", "../evil"),
        List.of("onboard", "--non-interactive", "--anthropic-api-key", KEY, "--model", "no-slash"));
    for (List<String> args : cases) {
      var r = cli.run(args.toArray(String[]::new));
      assertRefused(r, KEY, TOKEN, OPENROUTER);
    }
    assertThat(snapshot(state)).isEqualTo(before);
  }
}
