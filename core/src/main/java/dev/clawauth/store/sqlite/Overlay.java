package dev.clawauth.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.store.Providers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How OpenClaw 2026.9 shows an agent its credentials: the shared store overlaid by the agent's own
 * database. Profiles are united, the agent's entry winning per id; {@code order} is replaced per
 * provider by the agent's list; {@code lastGood} and {@code usageStats} are merged per key, the
 * agent winning. The view has the shape of an {@code auth-profiles.json}, so the rest of Clawauth
 * reads and edits it as it does that file; {@link #diff} turns an edit back into per-key changes.
 */
final class Overlay {
  private Overlay() {}

  /** The sections of the view that come from the runtime-state document. */
  static final List<String> STATE_SECTIONS = List.of("order", "lastGood", "usageStats");

  /** One database's credential and runtime-state documents. */
  record Docs(ObjectNode store, ObjectNode state) {
    static Docs empty() {
      return new Docs(emptyStore(), versioned());
    }

    Docs copy() {
      return new Docs(store.deepCopy(), state.deepCopy());
    }

    ObjectNode section(String name) {
      ObjectNode root = name.equals("profiles") ? store : state;
      return root.get(name) instanceof ObjectNode o ? o : null;
    }

    ObjectNode sectionForWrite(String name) {
      ObjectNode root = name.equals("profiles") ? store : state;
      return root.get(name) instanceof ObjectNode o ? o : root.putObject(name);
    }

    /** A state document with nothing but its version is deleted rather than written. */
    boolean stateIsEmpty() {
      for (String s : STATE_SECTIONS) {
        if (state.get(s) instanceof ObjectNode o && !o.isEmpty()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * A credential document with no profiles, as OpenClaw writes one: it calls a store without a
   * {@code profiles} object unreadable and then refuses every command of that agent.
   */
  static ObjectNode emptyStore() {
    ObjectNode n = versioned();
    n.putObject("profiles");
    return n;
  }

  static ObjectNode versioned() {
    ObjectNode n = Json.object();
    n.put("version", 1);
    return n;
  }

  /** The agent's view: {@code shared} overlaid by {@code own} (null when it has no database). */
  static ObjectNode view(Docs shared, Docs own) {
    ObjectNode root = versioned();
    for (String section : sections()) {
      ObjectNode merged = Json.object();
      if (section.equals("profiles") && own != null) {
        // The agent's own profiles first, as OpenClaw lists them: with no order, it breaks ties
        // between equally ranked profiles by this order.
        putAll(merged, own.section(section), section);
        ObjectNode sharedProfiles = shared.section(section);
        if (sharedProfiles != null) {
          sharedProfiles.properties().forEach(e -> {
            if (!merged.has(e.getKey())) {
              merged.set(e.getKey(), e.getValue().deepCopy());
            }
          });
        }
        root.set(section, merged);
        continue;
      }
      putAll(merged, shared.section(section), section);
      if (own != null) {
        ObjectNode mine = own.section(section);
        if (section.equals("order") && mine != null) {
          // A provider's list replaces the shared one, whatever spelling of the provider either uses.
          mine.fieldNames().forEachRemaining(k -> removeProvider(merged, k));
        }
        putAll(merged, mine, section);
      }
      if (section.equals("order") && own != null) {
        inheritOrder(merged, shared.section("order"), own);
      }
      if (!merged.isEmpty() || section.equals("profiles")) {
        root.set(section, merged);
      }
    }
    return root;
  }

  /**
   * OpenClaw's rule for a shared order over an agent that has profiles of the provider but no
   * order of its own: the agent's ids (in its store's order) come first.
   */
  private static void inheritOrder(ObjectNode merged, ObjectNode sharedOrder, Docs own) {
    ObjectNode ownProfiles = own.section("profiles");
    if (sharedOrder == null || ownProfiles == null) {
      return;
    }
    sharedOrder.fieldNames().forEachRemaining(provider -> {
      if (holds(own, "order", provider) || !(merged.get(provider) instanceof com.fasterxml.jackson.databind.node.ArrayNode list)) {
        return;
      }
      String want = Providers.normalize(provider);
      List<String> mine = new ArrayList<>();
      ownProfiles.properties().forEach(e -> {
        if (Providers.normalize(e.getValue().path("provider").asText("")).equals(want)) {
          mine.add(e.getKey());
        }
      });
      if (mine.isEmpty()) {
        return;
      }
      var combined = list.arrayNode();
      mine.forEach(combined::add);
      list.forEach(id -> {
        if (!mine.contains(id.asText())) {
          combined.add(id);
        }
      });
      merged.set(provider, combined);
    });
  }

  static List<String> sections() {
    List<String> all = new ArrayList<>();
    all.add("profiles");
    all.addAll(STATE_SECTIONS);
    return all;
  }

  private static void putAll(ObjectNode into, ObjectNode from, String section) {
    if (from == null) {
      return;
    }
    from.properties().forEach(e -> {
      if (section.equals("lastGood") || section.equals("order")) {
        removeProvider(into, e.getKey());
      }
      into.set(e.getKey(), e.getValue().deepCopy());
    });
  }

  private static void removeProvider(ObjectNode map, String provider) {
    String want = Providers.normalize(provider);
    List<String> drop = new ArrayList<>();
    map.fieldNames().forEachRemaining(k -> {
      if (Providers.normalize(k).equals(want)) {
        drop.add(k);
      }
    });
    drop.forEach(map::remove);
  }

  /** One key of one section that an edit of the view changed; {@code value} null means removed. */
  record Change(String section, String key, JsonNode value) {}

  /** The keys whose value differs between two views, in the order they appear. */
  static List<Change> diff(ObjectNode before, ObjectNode after) {
    List<Change> out = new ArrayList<>();
    for (String section : sections()) {
      JsonNode b = before.path(section);
      JsonNode a = after.path(section);
      Set<String> keys = new LinkedHashSet<>();
      b.fieldNames().forEachRemaining(keys::add);
      a.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        JsonNode was = b.get(k);
        JsonNode now = a.get(k);
        if (!Objects.equals(was, now)) {
          out.add(new Change(section, k, now == null ? null : now.deepCopy()));
        }
      }
    }
    return out;
  }

  /** Applies one change to a database's documents. */
  static void apply(Docs docs, Change c) {
    if (c.value() == null) {
      ObjectNode section = docs.section(c.section());
      if (section != null) {
        if (c.section().equals("order") || c.section().equals("lastGood")) {
          removeProvider(section, c.key());
        } else {
          section.remove(c.key());
        }
        if (section.isEmpty() && !c.section().equals("profiles")) {
          docs.state().remove(c.section());
        }
      }
      return;
    }
    ObjectNode section = docs.sectionForWrite(c.section());
    if (c.section().equals("order") || c.section().equals("lastGood")) {
      // Replaced where it stands, as a JavaScript assignment does; other spellings go.
      String want = Providers.normalize(c.key());
      List<String> aliases = new ArrayList<>();
      section.fieldNames().forEachRemaining(k -> {
        if (!k.equals(c.key()) && Providers.normalize(k).equals(want)) {
          aliases.add(k);
        }
      });
      aliases.forEach(section::remove);
    }
    section.set(c.key(), c.value());
  }

  /** Whether {@code docs} holds {@code key} in {@code section} (providers compared normalised). */
  static boolean holds(Docs docs, String section, String key) {
    ObjectNode s = docs.section(section);
    if (s == null) {
      return false;
    }
    if (section.equals("order") || section.equals("lastGood")) {
      String want = Providers.normalize(key);
      for (var it = s.fieldNames(); it.hasNext();) {
        if (Providers.normalize(it.next()).equals(want)) {
          return true;
        }
      }
      return false;
    }
    return s.has(key);
  }
}
