package dev.clawauth.doctor;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Order entries that name a profile the store does not hold, or one of another provider. The
 * candidate list drops them silently, and a list that drops to nothing leaves the provider
 * without any stored credential.
 */
final class OrderCheck {
  private OrderCheck() {}

  /** Why {@code id} cannot stand in {@code provider}'s order, or null when it can. */
  static String problem(StoreDocument doc, String provider, String id) {
    String trimmed = id.trim();
    if (!doc.hasProfileId(trimmed)) {
      return "no such profile";
    }
    Optional<Credential> c = doc.profile(trimmed);
    if (c.isPresent() && !Providers.same(c.get().provider(), provider)) {
      return "a profile of " + Providers.normalize(c.get().provider());
    }
    return null;
  }

  /** {@code doc} includes pending legacy imports: an entry they satisfy is not dangling. */
  static void check(AgentContext agent, StoreDocument doc, List<Finding> out) {
    String agentId = agent.agentId();
    String suffix = FixCommands.agentFlag(agentId);
    for (Map.Entry<String, List<String>> e : doc.orders().entrySet()) {
      String provider = Providers.normalize(e.getKey());
      List<String> bad = new ArrayList<>();
      List<String> good = new ArrayList<>();
      for (String id : e.getValue()) {
        String why = problem(doc, provider, id);
        if (why != null) {
          bad.add(id + " (" + why + ")");
        } else {
          good.add(id);
        }
      }
      if (bad.isEmpty()) {
        continue;
      }
      String manual = good.isEmpty()
          ? "clawauth models auth order clear --provider " + provider + suffix
          : "clawauth models auth order set --provider " + provider + " " + String.join(" ", good) + suffix;
      out.add(new Finding("dangling-order", Severity.WARNING, Section.PROFILES, agentId, agent.store().path(),
          "the order override for " + provider + " names " + String.join(", ", bad),
          good.isEmpty()
              ? "no entry is usable, so no stored " + provider + " profile is ever chosen"
              : "those entries are skipped silently; the list no longer says what is used",
          manual + " (or `clawauth doctor --fix`" + suffix + ")",
          new Repair.DropOrderEntries(agent.store(), e.getKey())));
    }
  }
}
