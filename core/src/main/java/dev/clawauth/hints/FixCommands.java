package dev.clawauth.hints;

import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.state.AgentIds;
import dev.clawauth.store.Providers;
import java.util.List;

/** The command that fixes a missing or broken credential, per provider. */
public final class FixCommands {
  private FixCommands() {}

  /**
   * The {@code " --agent <id>"} a suggested command ends with, or {@code ""} when the command is
   * meant for the agent it acts on without the flag.
   *
   * @param isDefault whether the flag is left out (how that is decided is the caller's rule: the
   *     agent is {@code main}, or no {@code --agent} was given)
   */
  public static String agentFlag(String agentId, boolean isDefault) {
    return isDefault ? "" : " --agent " + agentId;
  }

  /** {@link #agentFlag(String, boolean)} for reports: the flag is shown for every agent but {@code main}. */
  public static String agentFlag(String agentId) {
    return agentFlag(agentId, agentId.equals(AgentIds.DEFAULT));
  }

  public static String forMissing(String provider, String agentId) {
    String p = Providers.normalize(provider);
    String agent = agentFlag(agentId);
    return switch (p) {
      case "anthropic" -> "Run `clawauth onboard --non-interactive --anthropic-api-key <key>" + agent
          + "` (API key), or `claude setup-token` then `clawauth models auth paste-token --provider anthropic"
          + agent + "` (subscription).";
      case "openai-codex" -> "Run `clawauth models auth login --provider openai-codex" + agent + "`.";
      default -> {
        List<String> vars = ProviderEnvVars.forProvider(p);
        String env = vars.isEmpty() ? "" : " or set " + vars.get(vars.size() - 1) + " in <state>/.env";
        yield "Run `clawauth models auth paste-api-key --provider " + p + agent + "`" + env + ".";
      }
    };
  }

  public static String forRelogin(String provider, String profileId, String agentId) {
    String agent = agentFlag(agentId);
    return "clawauth models auth login --provider " + Providers.normalize(provider)
        + " --profile-id " + profileId + agent;
  }
}
