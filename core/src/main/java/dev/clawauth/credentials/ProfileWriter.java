package dev.clawauth.credentials;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.util.Optional;

/**
 * Stores one pasted or onboarded credential: the profile in the agent's auth-profiles.json (locked
 * read-modify-write) and its declaration {@code auth.profiles[<id>] = {provider, mode}} in the
 * config, as the 2026.1 CLI did. The store is written first: a config entry without a profile
 * would make the profile unusable, a profile without a config entry still works.
 */
public final class ProfileWriter {
  private ProfileWriter() {}

  /** What to do when the profile id already holds a different secret. */
  public enum OnConflict {
    /** Replace it (paste-token / paste-api-key: the user named the id and pasted a new value). */
    REPLACE,
    /** Refuse and write nothing (onboard without --force: re-running must never destroy a profile). */
    REFUSE
  }

  /** What happened to the profile. */
  public enum Outcome {
    CREATED, REPLACED, UPDATED, UNCHANGED
  }

  public record Saved(String profileId, String provider, String mode, Outcome outcome,
      boolean configChanged) {}

  /**
   * Writes {@code credential} under {@code profileId}.
   *
   * @throws ProfileConflictException with {@link OnConflict#REFUSE} when the id holds another secret
   */
  public static Saved save(AgentContext ctx, String profileId, Credential credential, OnConflict onConflict)
      throws IOException, JsonFileException {
    String id = profileId.trim();
    Outcome outcome = ctx.store().update(doc -> put(doc, id, credential, onConflict, ctx));
    String provider = Providers.normalize(credential.provider());
    String mode = credential.type();
    boolean[] changed = {false};
    ConfigFile.update(ctx.paths().configPath(), root -> {
      ObjectNode auth = root.get("auth") instanceof ObjectNode a ? a : root.putObject("auth");
      ObjectNode profiles = auth.get("profiles") instanceof ObjectNode p ? p : auth.putObject("profiles");
      ObjectNode entry = profiles.get(id) instanceof ObjectNode e ? e : profiles.putObject(id);
      if (!provider.equals(entry.path("provider").asText()) || !mode.equals(entry.path("mode").asText())) {
        entry.put("provider", provider);
        entry.put("mode", mode);
        changed[0] = true;
      }
      // A config order that exists is the whole rotation of agents without their own: a profile
      // left out of it is never used. OpenClaw's paste puts the new one first; so does this.
      if (auth.path("order") instanceof ObjectNode order) {
        for (var it = order.properties().iterator(); it.hasNext();) {
          var e = it.next();
          if (Providers.same(e.getKey(), provider) && e.getValue() instanceof ArrayNode list && !holds(list, id)) {
            list.insert(0, id);
            changed[0] = true;
          }
        }
      }
    });
    return new Saved(id, provider, mode, outcome, changed[0]);
  }

  private static boolean holds(ArrayNode list, String id) {
    for (var v : list) {
      if (v.asText("").trim().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static Outcome put(StoreDocument doc, String id, Credential credential, OnConflict onConflict,
      AgentContext ctx) {
    if (!doc.hasProfileId(id)) {
      doc.putProfile(id, credential);
      return Outcome.CREATED;
    }
    Optional<Credential> existing = doc.profile(id);
    if (existing.isPresent() && sameSecret(existing.get(), credential)) {
      StoreDocument before = doc.copy();
      doc.updateProfile(id, credential);
      return doc.equals(before) ? Outcome.UNCHANGED : Outcome.UPDATED;
    }
    if (onConflict == OnConflict.REFUSE) {
      String held = existing.map(c -> "a different " + c.type() + " for " + Providers.normalize(c.provider())
          + " (" + secretOf(c).masked() + ")").orElse("a profile this version cannot read");
      throw new ProfileConflictException(id, "Auth profile \"" + id + "\" in " + ctx.agentDir()
          + " already holds " + held + "; nothing was changed. Re-run with --force to replace it,"
          + " or choose another id with --profile-id.");
    }
    doc.putProfile(id, credential);
    return Outcome.REPLACED;
  }

  private static boolean sameSecret(Credential a, Credential b) {
    return a.type().equals(b.type()) && Providers.same(a.provider(), b.provider())
        && secretOf(a).value().equals(secretOf(b).value());
  }

  private static dev.clawauth.store.Secret secretOf(Credential c) {
    return switch (c) {
      case Credential.ApiKey k -> k.key();
      case Credential.Token t -> t.token();
      case Credential.OAuth o -> o.access();
    };
  }
}
