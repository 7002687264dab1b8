package dev.clawauth.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.store.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Puts an edit of an agent's view into the databases the way OpenClaw 2026.9 writes them:
 *
 * <ul>
 *   <li>a profile where it lives (its owner), a new one into the shared store for main and into
 *       the agent's own database for any other agent; a credential given anew to another agent
 *       ({@code putProfile}) stays that agent's, shadowing a shared one, so agents stay isolated;</li>
 *   <li>a removed profile leaves every database that holds it, with its order entries, last-good
 *       and usage stats;</li>
 *   <li>usage stats and last-good beside the profile they name;</li>
 *   <li>an order in the agent's own database (main's too), where OpenClaw's {@code order set}
 *       writes it; what the view still shows of a shared order after that is OpenClaw's rule too.</li>
 * </ul>
 */
final class Routing {
  private final SqliteLayout layout;
  private final Overlay.Docs shared;
  private final Overlay.Docs own;
  private final Set<String> replaced;

  Routing(SqliteLayout layout, Overlay.Docs shared, Overlay.Docs own, Set<String> replaced) {
    this.layout = layout;
    this.shared = shared;
    this.own = own;
    this.replaced = replaced;
  }

  /**
   * Applies the difference between {@code before} and {@code after} (views) to the two databases
   * ({@code newOwn} is {@code newShared} where the agent's own database is the shared one).
   */
  void apply(ObjectNode before, ObjectNode after, Overlay.Docs newShared, Overlay.Docs newOwn) {
    List<Overlay.Change> changes = Overlay.diff(before, after);
    List<String> removed = new ArrayList<>();
    for (Overlay.Change c : changes) {
      if (c.section().equals("profiles") && c.value() == null) {
        removed.add(c.key());
      }
    }
    scrub(newShared, removed);
    if (!layout.ownIsShared()) {
      scrub(newOwn, removed);
    }
    for (Overlay.Change c : changes) {
      if (c.section().equals("profiles") && c.value() != null) {
        Overlay.apply(profileTarget(c.key(), newShared, newOwn), c);
      }
    }
    for (Overlay.Change c : changes) {
      switch (c.section()) {
        case "usageStats" -> {
          if (c.value() == null) {
            removeEverywhere(newShared, newOwn, c);
          } else {
            Overlay.apply(owner(c.key(), newShared, newOwn), c);
          }
        }
        case "lastGood" -> {
          if (c.value() == null) {
            removeEverywhere(newShared, newOwn, c);
          } else {
            Overlay.apply(owner(c.value().asText(""), newShared, newOwn), c);
          }
        }
        default -> {
          // profiles: done above; order: below, from what is left to explain.
        }
      }
    }
    // Only an order the edit changed is written. One it left alone may still read differently
    // now (OpenClaw puts an agent's own profiles before a shared order): that is OpenClaw's view
    // too, and freezing it into an override would hide the agent's later profiles.
    ObjectNode wanted = after.get("order") instanceof ObjectNode o ? o : Overlay.versioned().objectNode();
    ObjectNode shown = Overlay.view(newShared, layout.ownIsShared() ? null : newOwn).get("order") instanceof ObjectNode o
        ? o : wanted.objectNode();
    for (Overlay.Change c : changes) {
      if (c.section().equals("order") && !Objects.equals(wanted.get(c.key()), shown.get(c.key()))) {
        Overlay.apply(newOwn, new Overlay.Change("order", c.key(), wanted.get(c.key())));
      }
    }
  }

  /** Where a changed profile is written. */
  private Overlay.Docs profileTarget(String id, Overlay.Docs newShared, Overlay.Docs newOwn) {
    if (layout.ownIsShared()) {
      return newShared;
    }
    if (layout.ownsNewProfiles() && replaced.contains(id)) {
      return newOwn;
    }
    if (own != null && Overlay.holds(own, "profiles", id)) {
      return newOwn;
    }
    if (Overlay.holds(shared, "profiles", id)) {
      return newShared;
    }
    return layout.ownsNewProfiles() ? newOwn : newShared;
  }

  /** The database that holds profile {@code id} now; stats of a profile held nowhere go to the agent's own. */
  private static Overlay.Docs owner(String id, Overlay.Docs newShared, Overlay.Docs newOwn) {
    if (Overlay.holds(newOwn, "profiles", id)) {
      return newOwn;
    }
    return Overlay.holds(newShared, "profiles", id) ? newShared : newOwn;
  }

  private void removeEverywhere(Overlay.Docs newShared, Overlay.Docs newOwn, Overlay.Change c) {
    Overlay.apply(newShared, c);
    if (!layout.ownIsShared()) {
      Overlay.apply(newOwn, c);
    }
  }

  /** Removes profiles and every reference to them: order entries, last-good, usage stats. */
  private static void scrub(Overlay.Docs docs, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    for (String id : ids) {
      Overlay.apply(docs, new Overlay.Change("profiles", id, null));
      Overlay.apply(docs, new Overlay.Change("usageStats", id, null));
    }
    ObjectNode order = docs.section("order");
    if (order != null) {
      List<String> emptied = new ArrayList<>();
      order.properties().forEach(e -> {
        if (e.getValue() instanceof ArrayNode list) {
          for (int i = list.size() - 1; i >= 0; i--) {
            if (ids.contains(list.get(i).asText())) {
              list.remove(i);
            }
          }
          if (list.isEmpty()) {
            emptied.add(e.getKey());
          }
        }
      });
      emptied.forEach(p -> Overlay.apply(docs, new Overlay.Change("order", p, null)));
    }
    ObjectNode lastGood = docs.section("lastGood");
    if (lastGood != null) {
      List<String> drop = new ArrayList<>();
      lastGood.properties().forEach(e -> {
        JsonNode v = e.getValue();
        if (ids.contains(v.asText())) {
          drop.add(e.getKey());
        }
      });
      drop.forEach(p -> Overlay.apply(docs, new Overlay.Change("lastGood", Providers.normalize(p), null)));
    }
  }
}
