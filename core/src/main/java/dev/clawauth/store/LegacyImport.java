package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Credentials in files older than auth-profiles.json, imported as OpenClaw 2026.1 does: the agent's
 * flat {@code auth.json} while the store has no profiles, and the state dir's
 * {@code credentials/oauth.json} only while no store file exists (so a profile removed later never
 * comes back from it). Imports only add profiles that are missing, so an old file can never
 * overwrite newer data.
 */
public final class LegacyImport {
  private final Path agentAuthJson;
  private final Path oauthJson;
  private final List<String> warnings = new ArrayList<>();
  /** Ids the last {@link #apply} took from auth.json (not from oauth.json). */
  private final List<String> fromAuthJson = new ArrayList<>();

  /** {@code oauthJson} is null for agents other than the default one. */
  public LegacyImport(Path agentAuthJson, Path oauthJson) {
    this.agentAuthJson = agentAuthJson;
    this.oauthJson = oauthJson;
  }

  public static LegacyImport none() {
    return new LegacyImport(null, null);
  }

  public Path agentAuthJson() {
    return agentAuthJson;
  }

  public Path oauthJson() {
    return oauthJson;
  }

  /** Problems met reading legacy files; they are skipped, never rewritten. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * Adds what the legacy files hold to {@code doc}, the content of a store file that exists or
   * not ({@code storeExists}); returns the ids added.
   */
  public List<String> apply(StoreDocument doc, boolean storeExists) {
    List<String> added = new ArrayList<>();
    warnings.clear();
    fromAuthJson.clear();
    if (agentAuthJson != null && doc.profiles().isEmpty() && doc.unreadableProfileIds().isEmpty()) {
      readObject(agentAuthJson).ifPresent(flat -> flat.properties().forEach(e -> {
        String id = Providers.normalize(e.getKey()) + ":default";
        if (e.getValue() instanceof ObjectNode src && !doc.hasProfileId(id)) {
          ObjectNode copy = src.deepCopy();
          if (!copy.hasNonNull("provider")) {
            copy.put("provider", Providers.normalize(e.getKey()));
          }
          Credentials.fromJson(copy).ifPresent(c -> {
            doc.putProfile(id, c);
            added.add(id);
            fromAuthJson.add(id);
          });
        }
      }));
    }
    if (oauthJson != null && !storeExists) {
      readObject(oauthJson).ifPresent(map -> map.properties().forEach(e -> {
        String provider = Providers.normalize(e.getKey());
        String id = provider + ":default";
        JsonNode v = e.getValue();
        if (v.isObject() && !doc.hasProfileId(id)) {
          ObjectNode p = v.deepCopy();
          p.put("type", "oauth");
          p.put("provider", provider);
          Credentials.fromJson(p).ifPresent(c -> {
            doc.putProfile(id, c);
            added.add(id);
          });
        }
      }));
    }
    return added;
  }

  /** Called after the store that holds the import is safely on disk. */
  void afterPersist(List<String> added) throws IOException {
    // Only a file whose content is now in the store may go: an auth.json that was not imported
    // (unparsable, or beside a store that already had profiles) still holds the only copy.
    if (agentAuthJson != null && Files.exists(agentAuthJson) && !fromAuthJson.isEmpty()
        && added.containsAll(fromAuthJson)) {
      Files.delete(agentAuthJson);
    }
  }

  private java.util.Optional<ObjectNode> readObject(Path file) {
    if (!Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    try {
      JsonNode n = Json.parseStrict(file, AtomicFiles.read(file));
      if (n instanceof ObjectNode o) {
        return java.util.Optional.of(o);
      }
      warnings.add(file + ": not a JSON object; skipped");
    } catch (JsonFileException e) {
      warnings.add(e.getMessage());
    } catch (IOException e) {
      warnings.add(file + ": " + e.getMessage());
    }
    return java.util.Optional.empty();
  }
}
