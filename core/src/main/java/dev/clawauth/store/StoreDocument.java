package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of one auth-profiles.json. It edits the parsed tree in place, so every field this
 * version does not know (top-level keys, profile fields, usage fields) is written back unchanged.
 */
public final class StoreDocument {
  private final ObjectNode root;
  /**
   * Ids given a new credential by {@link #putProfile} (not part of the content): a backend that
   * shares profiles between agents keeps such a credential to the agent it was given to.
   */
  private final java.util.Set<String> replaced = new java.util.LinkedHashSet<>();
  /** The file each profile was read from, where a backend reads several (not part of the content). */
  private java.util.Map<String, java.nio.file.Path> origins = java.util.Map.of();

  StoreDocument(ObjectNode root) {
    this.root = root;
    if (!root.has("version")) {
      root.put("version", 1);
    }
    if (!root.path("profiles").isObject()) {
      root.set("profiles", Json.object());
    }
  }

  /**
   * A document over {@code root}, which has the shape of an auth-profiles.json; for backends
   * that assemble it from elsewhere. The document edits {@code root} in place.
   */
  public static StoreDocument over(ObjectNode root) {
    return new StoreDocument(root);
  }

  /** {@link #over(ObjectNode)}, knowing which file each profile came from. */
  public static StoreDocument over(ObjectNode root, java.util.Map<String, java.nio.file.Path> origins) {
    StoreDocument d = new StoreDocument(root);
    d.origins = java.util.Map.copyOf(origins);
    return d;
  }

  /** The file profile {@code id} was read from, when the backend reads more than one. */
  public Optional<java.nio.file.Path> origin(String id) {
    return Optional.ofNullable(origins.get(id));
  }

  /** A copy of the whole tree, for backends that split an edit back into their own records. */
  public ObjectNode treeCopy() {
    return root.deepCopy();
  }

  public static StoreDocument empty() {
    ObjectNode root = Json.object();
    root.put("version", 1);
    root.set("profiles", Json.object());
    return new StoreDocument(root);
  }

  /** Replaces this document's whole content with a copy of {@code other}'s (a store moved between backends). */
  public void replaceContent(StoreDocument other) {
    root.removeAll();
    root.setAll(other.root.deepCopy());
  }

  public StoreDocument copy() {
    return new StoreDocument(root.deepCopy());
  }

  ObjectNode root() {
    return root;
  }

  private ObjectNode profilesNode() {
    return (ObjectNode) root.get("profiles");
  }

  /** Usable-shaped profiles in file order; entries of unknown type or without provider are skipped. */
  public Map<String, Credential> profiles() {
    Map<String, Credential> out = new LinkedHashMap<>();
    profilesNode().properties().forEach(e -> Credentials.fromJson(e.getValue())
        .ifPresent(c -> out.put(e.getKey(), c)));
    return out;
  }

  public Optional<Credential> profile(String id) {
    return Credentials.fromJson(profilesNode().get(id));
  }

  public boolean hasProfileId(String id) {
    return profilesNode().has(id);
  }

  /** Ids present in the file that this version cannot read (kept untouched on write). */
  public List<String> unreadableProfileIds() {
    List<String> out = new ArrayList<>();
    profilesNode().properties().forEach(e -> {
      if (Credentials.fromJson(e.getValue()).isEmpty()) {
        out.add(e.getKey());
      }
    });
    return out;
  }

  /** Stores a new credential under {@code id}, replacing any profile there. */
  public void putProfile(String id, Credential credential) {
    profilesNode().set(id, Credentials.toJson(credential, null));
    replaced.add(id);
  }

  /** Ids {@link #putProfile} gave a new credential since this document was read. */
  public java.util.Set<String> replacedIds() {
    return java.util.Collections.unmodifiableSet(replaced);
  }

  /** Updates a credential's fields in place, keeping the profile's fields this version does not know. */
  public void updateProfile(String id, Credential credential) {
    JsonNode existing = profilesNode().get(id);
    profilesNode().set(id, Credentials.toJson(credential,
        existing instanceof ObjectNode o ? o : null));
  }

  /** Removes a profile and every reference to it (order, lastGood, usageStats). */
  public boolean removeProfile(String id) {
    if (profilesNode().remove(id) == null) {
      return false;
    }
    JsonNode order = root.get("order");
    if (order instanceof ObjectNode o) {
      List<String> emptied = new ArrayList<>();
      o.properties().forEach(e -> {
        if (e.getValue() instanceof ArrayNode a) {
          for (int i = a.size() - 1; i >= 0; i--) {
            if (id.equals(a.get(i).asText())) {
              a.remove(i);
            }
          }
          if (a.isEmpty()) {
            emptied.add(e.getKey());
          }
        }
      });
      emptied.forEach(o::remove);
      if (o.isEmpty()) {
        root.remove("order");
      }
    }
    JsonNode lastGood = root.get("lastGood");
    if (lastGood instanceof ObjectNode lg) {
      List<String> drop = new ArrayList<>();
      lg.properties().forEach(e -> {
        if (id.equals(e.getValue().asText())) {
          drop.add(e.getKey());
        }
      });
      drop.forEach(lg::remove);
    }
    JsonNode usage = root.get("usageStats");
    if (usage instanceof ObjectNode u) {
      u.remove(id);
    }
    return true;
  }

  /** The per-agent order override for a provider, if one is stored. */
  public Optional<List<String>> order(String provider) {
    JsonNode order = root.get("order");
    if (!(order instanceof ObjectNode o)) {
      return Optional.empty();
    }
    String want = Providers.normalize(provider);
    for (var e : o.properties()) {
      if (Providers.normalize(e.getKey()).equals(want) && e.getValue().isArray()) {
        List<String> ids = new ArrayList<>();
        e.getValue().forEach(v -> ids.add(v.asText()));
        return Optional.of(ids);
      }
    }
    return Optional.empty();
  }

  public Map<String, List<String>> orders() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonNode order = root.get("order");
    if (order instanceof ObjectNode o) {
      o.properties().forEach(e -> {
        List<String> ids = new ArrayList<>();
        e.getValue().forEach(v -> ids.add(v.asText()));
        out.put(e.getKey(), ids);
      });
    }
    return out;
  }

  public void setOrder(String provider, List<String> ids) {
    String key = Providers.normalize(provider);
    ArrayNode list = Json.NODES.arrayNode();
    ids.forEach(list::add);
    // An existing key is replaced where it stands, as a JavaScript assignment does, so the file
    // changes only in that list; aliases of the provider are dropped.
    if (root.get("order") instanceof ObjectNode o && o.get(key) != null) {
      List<String> aliases = new ArrayList<>();
      o.fieldNames().forEachRemaining(k -> {
        if (!k.equals(key) && Providers.normalize(k).equals(key)) {
          aliases.add(k);
        }
      });
      aliases.forEach(o::remove);
      o.set(key, list);
      return;
    }
    clearOrder(provider);
    ObjectNode order = root.get("order") instanceof ObjectNode o ? o : root.putObject("order");
    order.set(key, list);
  }

  /** Removes the provider's override, and the whole {@code order} object once it is empty. */
  public boolean clearOrder(String provider) {
    if (!(root.get("order") instanceof ObjectNode o)) {
      return false;
    }
    String want = Providers.normalize(provider);
    List<String> keys = new ArrayList<>();
    o.fieldNames().forEachRemaining(k -> {
      if (Providers.normalize(k).equals(want)) {
        keys.add(k);
      }
    });
    keys.forEach(o::remove);
    if (o.isEmpty()) {
      root.remove("order");
    }
    return !keys.isEmpty();
  }

  public Optional<String> lastGood(String provider) {
    JsonNode lg = root.path("lastGood").get(Providers.normalize(provider));
    return lg != null && lg.isTextual() ? Optional.of(lg.asText()) : Optional.empty();
  }

  public void setLastGood(String provider, String id) {
    ObjectNode lg = root.get("lastGood") instanceof ObjectNode o ? o : root.putObject("lastGood");
    lg.put(Providers.normalize(provider), id);
  }

  public UsageStats usage(String id) {
    return UsageStats.from(root.path("usageStats").get(id));
  }

  /** The raw usage entry for a profile, created if missing; callers keep unknown fields. */
  public ObjectNode usageNode(String id) {
    ObjectNode usage = root.get("usageStats") instanceof ObjectNode o ? o : root.putObject("usageStats");
    return usage.get(id) instanceof ObjectNode n ? n : usage.putObject(id);
  }

  public String toJson() {
    return JsonText.pretty(root);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreDocument d && d.root.equals(root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }

  @Override
  public String toString() {
    return "StoreDocument" + profiles().keySet();
  }
}
