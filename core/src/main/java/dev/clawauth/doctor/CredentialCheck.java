package dev.clawauth.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.store.CodexIds;
import java.util.List;

/**
 * Credentials that are expired, about to expire without renewing themselves, or need a new login,
 * and providers in use with no usable credential. Reads the {@code models status} document, so
 * doctor and {@code models status --check} always agree.
 */
final class CredentialCheck {
  private CredentialCheck() {}

  static void check(AgentContext agent, ObjectNode status, boolean configUsable, List<Finding> out) {
    String agentId = agent.agentId();
    String suffix = FixCommands.agentFlag(agentId);
    for (JsonNode h : status.path("auth").path("oauth").path("profiles")) {
      String id = h.path("profileId").asText();
      String provider = h.path("provider").asText();
      String type = h.path("type").asText();
      boolean renews = h.path("renews").asBoolean(false);
      String state = h.path("status").asText();
      String relogin = FixCommands.forRelogin(provider, id, agentId);
      String repaste = "clawauth models auth paste-token --provider " + provider + " --profile-id " + id + suffix;
      String fix = type.equals("oauth") ? relogin : repaste;
      if (CodexIds.isLegacyOnOpenClaw9(agent.era().kind(), provider, type)) {
        out.add(new Finding("legacy-codex-id", Severity.WARNING, Section.AUTH, agentId, agent.store().path(),
            id + " is ChatGPT OAuth stored as provider openai-codex, which OpenClaw 2026.9 calls legacy",
            "OpenClaw 2026.9 keeps ChatGPT OAuth under provider openai: it never refreshes this profile, and"
                + " `openclaw doctor --fix` renames it " + CodexIds.profileId(agent.era().kind(), id)
                + " (Clawauth still uses and refreshes it until then)",
            "log in again with `" + relogin + "` (stored as " + CodexIds.profileId(agent.era().kind(), id)
                + "), then `clawauth models auth remove " + id + suffix + "`", null));
      }
      if (h.path("refreshPending").asBoolean(false)) {
        out.add(new Finding("refresh-pending", Severity.WARNING, Section.AUTH, agentId, agent.store().path(),
            id + " is being refreshed by OpenClaw: its tokens are out of the store until that refresh ends",
            "requests cannot use it meanwhile; if no OpenClaw process is refreshing it, that refresh was"
                + " interrupted and the profile stays unusable (OpenClaw does not send a claimed refresh token again)",
            "wait a minute and run `clawauth doctor` again; if it is still here, log in again: "
                + h.path("fix").asText(relogin), null));
        continue;
      }
      if (h.path("rejected").asBoolean(false)) {
        out.add(new Finding("setup-token-rejected", Severity.ERROR, Section.AUTH, agentId, agent.store().path(),
            id + " (setup-token) was refused by Anthropic (401)",
            "a setup-token cannot renew itself: requests with it keep failing after each cooldown",
            h.path("fix").asText(), null));
        continue;
      }
      if (h.path("needsRelogin").asBoolean(false)) {
        out.add(new Finding("needs-relogin", Severity.ERROR, Section.AUTH, agentId, agent.store().path(),
            id + " needs a new login (" + h.path("reloginReason").asText() + ")",
            "its refresh token was refused, so it cannot renew itself and requests with it fail",
            h.path("fix").asText(relogin), null));
      } else if (renews) {
        // A profile that renews itself is fine whatever its access token's state.
      } else if (state.equals("expired")) {
        out.add(new Finding("credential-expired", Severity.ERROR, Section.AUTH, agentId, agent.store().path(),
            id + " (" + type + ") expired " + Durations.remaining(-h.path("remainingMs").asLong()) + " ago",
            "requests cannot use it; the next profile or an env key is used, or the request fails",
            fix, null));
      } else if (state.equals("missing")) {
        out.add(new Finding("credential-expired", Severity.ERROR, Section.AUTH, agentId, agent.store().path(),
            id + " (oauth) has no expiry and no refresh token",
            "its access token cannot be checked or renewed, so it is treated as expired",
            fix, null));
      } else if (state.equals("expiring")) {
        out.add(new Finding("credential-expiring", Severity.WARNING, Section.AUTH, agentId, agent.store().path(),
            id + " (" + type + ") expires in " + Durations.remaining(h.path("remainingMs").asLong()),
            "it cannot renew itself; requests with it fail once it expires",
            fix, null));
      }
    }
    if (!configUsable) {
      return;
    }
    ClawConfig config = agent.config();
    String defaultProvider = ClawConfig.providerOf(config.resolveModel(config.defaultModel(agentId)));
    for (JsonNode pr : status.path("auth").path("check").path("problems")) {
      if (!pr.path("severity").asText().equals("missing")) {
        continue;
      }
      String p = pr.path("provider").asText();
      String usedBy = p.equals(defaultProvider)
          ? "the default model " + config.resolveModel(config.defaultModel(agentId))
          : "a fallback or image model";
      out.add(new Finding("missing-credential", Severity.ERROR, Section.AUTH, agentId, null,
          "provider " + p + " is used by " + usedBy + " but has " + pr.path("message").asText(),
          "every request to it fails until a credential is added (`models status --check` exits 1)",
          pr.path("fix").asText(), null));
    }
  }
}
