package dev.clawauth.hints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for the {@code --agent} flag of suggested commands, and the commands built on it. */
final class FixCommandsTest {
  @Test
  void agentFlagIsLeftOutForTheDefaultAgentOnly() {
    assertThat(FixCommands.agentFlag("main")).isEmpty();
    assertThat(FixCommands.agentFlag("work")).isEqualTo(" --agent work");
    assertThat(FixCommands.agentFlag("main", false)).isEqualTo(" --agent main");
    assertThat(FixCommands.agentFlag("work", true)).isEmpty();
  }

  @Test
  void reloginNamesTheAgentUnlessMain() {
    assertThat(FixCommands.forRelogin("openai-codex", "openai-codex:default", "main"))
        .isEqualTo("clawauth models auth login --provider openai-codex --profile-id openai-codex:default");
    assertThat(FixCommands.forRelogin("openai-codex", "openai-codex:default", "work"))
        .isEqualTo("clawauth models auth login --provider openai-codex --profile-id openai-codex:default"
            + " --agent work");
  }

  @Test
  void missingAnthropicNamesTheAgentInBothCommands() {
    assertThat(FixCommands.forMissing("anthropic", "work")).isEqualTo(
        "Run `clawauth onboard --non-interactive --anthropic-api-key <key> --agent work` (API key), or"
            + " `claude setup-token` then `clawauth models auth paste-token --provider anthropic --agent work`"
            + " (subscription).");
  }
}
