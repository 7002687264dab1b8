package dev.clawauth.hints;

import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.select.FailureReason;
import dev.clawauth.state.AgentIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.UsageStats;
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

  /**
   * An Anthropic setup-token the provider answered 401/403 to since its last success: it cannot
   * renew itself, so waiting out the cooldown only fails again.
   */
  public static boolean setupTokenRejected(Credential c, UsageStats usage) {
    return c instanceof Credential.Token t && Providers.same(t.provider(), "anthropic")
        && t.token().value().startsWith(KeyShapes.SETUP_TOKEN_PREFIX)
        && usage.failureCounts().getOrDefault(FailureReason.AUTH.wire(), 0) > 0;
  }

  /** The documents' answer to a refused setup-token: make a new one and paste it over this profile. */
  public static String forRejectedSetupToken(String profileId, String agentId) {
    String agent = agentFlag(agentId);
    return "run `claude setup-token` again and paste it with `clawauth models auth paste-token --provider anthropic"
        + (profileId.equals("anthropic:manual") ? "" : " --profile-id " + profileId) + agent + "`";
  }

  public static String forRelogin(String provider, String profileId, String agentId) {
    String agent = agentFlag(agentId);
    return "clawauth models auth login --provider " + Providers.normalize(provider)
        + " --profile-id " + profileId + agent;
  }
}
