package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2026.1 CLI reads what these commands write, and they read what it writes. Runs when
 * {@code CLAWDBOT_BIN} names the wrapper made by {@code ../shared/tools/install-clawdbot-2026.1.sh};
 * skipped otherwise (it needs the npm registry and a minute to install).
 */
final class ClawdbotInteropTest {
  static final String TOKEN = PasteTokenCommandTest.TOKEN;
  static final String KEY = PasteTokenCommandTest.API_KEY;

  @TempDir
  Path home;
  Path state;
  Path clawdbot;

  @BeforeEach
  void setUp() {
    String bin = System.getenv("CLAWDBOT_BIN");
    assumeTrue(bin != null && Files.isExecutable(Path.of(bin)), "set CLAWDBOT_BIN to run the 2026.1 interop test");
    clawdbot = Path.of(bin);
    state = home.resolve("state");
  }

  private String clawdbot(String stdin, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(clawdbot.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path h = Files.createDirectories(home.resolve("clawdbot-home"));
    pb.environment().put("HOME", h.toString());
    pb.environment().put("CLAWDBOT_STATE_DIR", state.toString());
    pb.environment().put("CLAWDBOT_CONFIG_PATH", state.resolve("openclaw.json").toString());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void clawdbotReadsWhatOnboardPasteTokenAndAgentsAddWrote() throws Exception {
    var cli = new ClawauthProcess(home, state);
    assertThat(cli.run("onboard", "--non-interactive", "--anthropic-api-key", KEY).exitCode()).isZero();
    assertThat(cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic").exitCode()).isZero();
    assertThat(cli.run("agents", "add", "work", "--non-interactive").exitCode()).isZero();

    JsonNode status = StateFiles.JSON.readTree(clawdbot(null, "models", "status", "--json"));
    JsonNode anthropic = status.path("auth").path("providers").get(0);
    assertThat(anthropic.path("provider").asText()).isEqualTo("anthropic");
    assertThat(anthropic.path("profiles").path("apiKey").asInt()).isEqualTo(1);
    assertThat(anthropic.path("profiles").path("token").asInt()).isEqualTo(1);
    assertThat(status.path("auth").path("missingProvidersInUse")).isEmpty();
    assertThat(clawdbot(null, "agents", "list")).contains("work").contains(state.resolve("agents/work/agent").toString());
  }

  @Test
  void clawauthReadsAndRemovesWhatClawdbotPasted() throws Exception {
    clawdbot(TOKEN + "\r", "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:work");
    assertThat(json(store(state, "main")).path("profiles").has("anthropic:work")).isTrue();
    var cli = new ClawauthProcess(home, state);
    var list = cli.run("models", "auth", "list");
    assertThat(list.stdout()).contains("anthropic:work").contains("sk-ant-o...FAKEFAKE").doesNotContain(TOKEN);
    var rm = cli.run("models", "auth", "remove", "anthropic:work", "--yes");
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    assertThat(json(state.resolve("openclaw.json")).path("auth").path("profiles").has("anthropic:work")).isFalse();
    assertThat(clawdbot(null, "models", "status")).contains("Missing auth").doesNotContain("anthropic:work");
  }
}
