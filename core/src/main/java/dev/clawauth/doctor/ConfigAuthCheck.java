package dev.clawauth.doctor;

import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config's {@code auth} block against what the stores hold. The config is shared by every
 * agent (and by OpenClaw), so an id is dangling only when no agent holds it: OpenClaw 2026.9
 * writes a global {@code auth.order} that names profiles of several agents, and removing those
 * would break the agents that hold them.
 */
final class ConfigAuthCheck {
  private ConfigAuthCheck() {}

  /** Ids in {@code auth.order} that no agent's store holds. */
  static void danglingOrder(ClawConfig config, Set<String> heldAnywhere, List<Finding> out) {
    List<String> keys = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    config.tree().path("auth").path("order").properties().forEach(e -> {
      List<String> missing = new ArrayList<>();
      e.getValue().forEach(id -> {
        if (!heldAnywhere.contains(id.asText("").trim())) {
          missing.add(id.asText("") + " (no such profile)");
        }
      });
      if (!missing.isEmpty()) {
        keys.add(e.getKey());
        bad.add("auth.order." + e.getKey() + ": " + String.join(", ", missing));
      }
    });
    if (bad.isEmpty()) {
      return;
    }
    out.add(new Finding("dangling-config-order", Severity.WARNING, Section.PROFILES, null, config.path(),
        "the config names profiles that no agent holds (" + String.join("; ", bad) + ")",
        "they are skipped silently; a list left with none of its own uses no stored profile of that provider",
        "clawauth doctor --fix (removes just those ids; comments and layout of the file are kept), or edit "
            + config.path(),
        new Repair.DropConfigOrderEntries(List.copyOf(keys), Set.copyOf(heldAnywhere))));
  }

  /**
   * Profiles of a provider that {@code auth.profiles} declares others of, but not them: with no
   * order, both OpenClaw 2026.1 and Clawauth rotate over the declared ones only, so these are
   * never chosen. A 2026.1 write that raced another one can drop a declaration this way.
   */
  static void undeclared(AgentContext agent, StoreDocument doc, List<Finding> out) {
    ClawConfig config = agent.config();
    Map<String, ClawConfig.ProfileDecl> decls = config.authProfiles();
    Map<String, String[]> missing = new LinkedHashMap<>();
    doc.profiles().forEach((id, c) -> {
      String provider = Providers.normalize(c.provider());
      if (decls.containsKey(id) || doc.order(provider).isPresent() || config.authOrder(provider).isPresent()) {
        return;
      }
      boolean othersDeclared = decls.values().stream()
          .anyMatch(d -> Providers.normalize(d.provider()).equals(provider));
      if (othersDeclared) {
        missing.put(id, new String[] {provider, c.type()});
      }
    });
    if (missing.isEmpty()) {
      return;
    }
    out.add(new Finding("undeclared-profile", Severity.WARNING, Section.PROFILES, agent.agentId(), config.path(),
        String.join(", ", missing.keySet()) + " " + (missing.size() == 1 ? "is" : "are")
            + " in the store but not in the config's auth.profiles, which declares other profiles of "
            + (missing.size() == 1 ? "its provider" : "their providers"),
        "with no order set, only declared profiles are rotated through (OpenClaw 2026.1 and Clawauth"
            + " alike), so " + (missing.size() == 1 ? "it is" : "they are") + " never used",
        "clawauth doctor --fix (adds their {provider, mode} entries; the file's comments and layout are kept)",
        new Repair.DeclareProfiles(missing)));
  }
}
