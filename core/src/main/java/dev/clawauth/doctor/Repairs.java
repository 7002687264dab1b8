package dev.clawauth.doctor;

import dev.clawauth.store.UsageStats;
import dev.clawauth.store.FileStore;
import dev.clawauth.state.StatePaths;
import dev.clawauth.config.ConfigFile;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreLock;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The changes behind {@link Repair}; each re-checks the disk first, so a repair never acts on old news. */
final class Repairs {
  private Repairs() {}

  static void chmod(Finding f, Repair.Chmod c, Set<Path> unparsable, List<Change> changes) {
    if (!c.directory() && unparsable.contains(c.path())) {
      changes.add(new Change(f.code(), f.agentId(), c.path(),
          "left " + c.path() + " unchanged: it does not parse; fix it first, then run `" + f.fix() + "`", false));
      return;
    }
    try {
      String before = PermissionCheck.octal(Files.getPosixFilePermissions(c.path()));
      Files.setPosixFilePermissions(c.path(), PermissionCheck.wanted(c.directory()));
      changes.add(new Change(f.code(), f.agentId(), c.path(),
          "chmod " + (c.directory() ? "0700" : "0600") + " " + c.path() + " (was " + before + ")", true));
    } catch (IOException | UnsupportedOperationException e) {
      changes.add(new Change(f.code(), f.agentId(), c.path(),
          "could not chmod " + c.path() + ": " + e.getMessage(), false));
    }
  }

  static void removeStaleLock(Finding f, Repair.RemoveStaleLock l, List<Change> changes) {
    Path lock = l.lockDir();
    try {
      switch (StoreLock.removeIfStale(lock, Duration.ofMillis(Doctor.staleMillis()))) {
        case REMOVED -> changes.add(new Change(f.code(), f.agentId(), lock, "removed stale lock " + lock, true));
        case GONE -> changes.add(new Change(f.code(), f.agentId(), lock,
            "stale lock " + lock + " was already gone", true));
        case LIVE -> changes.add(new Change(f.code(), f.agentId(), lock,
            "left " + lock + ": a running process took it again meanwhile", false));
      }
    } catch (DirectoryNotEmptyException notOurs) {
      changes.add(new Change(f.code(), f.agentId(), lock,
          "left " + lock + ": it is not empty, so it is not a lock directory; remove it by hand", false));
    } catch (IOException e) {
      changes.add(new Change(f.code(), f.agentId(), lock, "could not remove " + lock + ": " + e.getMessage(), false));
    }
  }

  /** Pending imports and order clean-ups of one store, in one locked update. */
  static void storeEdits(CredentialStore store, List<Finding> findings, Set<Path> unparsable, long now,
      List<Change> changes) {
    String agentId = findings.getFirst().agentId();
    if (unparsable.contains(store.path())) {
      return;
    }
    try {
      List<String> importedIds = new ArrayList<>(store.pendingImports());
      List<String> notes = store.update(doc -> {
        List<String> done = new ArrayList<>();
        for (Finding f : findings) {
          if (f.repair() instanceof Repair.DropOrderEntries d) {
            dropDangling(doc, d.provider(), done);
          }
        }
        return done;
      });
      if (findings.stream().anyMatch(f -> f.repair() instanceof Repair.PersistImports)) {
        List<String> still = store.pendingImports();
        importedIds.removeAll(still);
        changes.add(new Change("pending-import", agentId, store.path(),
            importedIds.isEmpty() ? "nothing left to import into " + store.path()
                : "imported " + String.join(", ", importedIds) + " into " + store.path(),
            true));
      }
      for (String n : notes) {
        changes.add(new Change("dangling-order", agentId, store.path(), n, true));
      }
    } catch (JsonFileException e) {
      changes.add(new Change(findings.getFirst().code(), agentId, store.path(),
          "left " + store.path() + " unchanged: " + e.getMessage(), false));
    } catch (IOException e) {
      changes.add(new Change(findings.getFirst().code(), agentId, store.path(),
          "could not update " + store.path() + ": " + e.getMessage(), false));
    }
  }

  /** Runs under the store lock on a fresh read that already includes pending imports. */
  private static void dropDangling(StoreDocument doc, String providerKey, List<String> done) {
    String provider = Providers.normalize(providerKey);
    var order = doc.order(provider);
    if (order.isEmpty()) {
      return;
    }
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String id : order.get()) {
      if (OrderCheck.problem(doc, provider, id) == null && !kept.contains(id.trim())) {
        kept.add(id.trim());
      } else if (OrderCheck.problem(doc, provider, id) != null) {
        dropped.add(id);
      }
    }
    if (dropped.isEmpty()) {
      return;
    }
    if (kept.isEmpty()) {
      doc.clearOrder(provider);
      done.add("removed " + String.join(", ", dropped) + " from the " + provider
          + " order; the order was then empty and is deleted (round robin applies)");
    } else {
      doc.setOrder(provider, kept);
      done.add("removed " + String.join(", ", dropped) + " from the " + provider + " order (now: "
          + String.join(", ", kept) + ")");
    }
  }

  /** Removes the ids no agent holds from the config's order lists, editing only those lists. */
  static void dropConfigOrder(Finding f, Repair.DropConfigOrderEntries d, StatePaths paths, Set<Path> unparsable,
      List<Change> changes) {
    Path config = paths.configPath();
    if (unparsable.contains(config)) {
      return;
    }
    List<String> done = new ArrayList<>();
    try {
      ConfigFile.update(config, root -> {
        if (!(root.path("auth").get("order") instanceof ObjectNode order)) {
          return;
        }
        for (String key : d.providerKeys()) {
          if (!(order.get(key) instanceof ArrayNode list)) {
            continue;
          }
          List<String> dropped = new ArrayList<>();
          for (int i = list.size() - 1; i >= 0; i--) {
            if (!d.known().contains(list.get(i).asText("").trim())) {
              dropped.add(0, list.get(i).asText(""));
              list.remove(i);
            }
          }
          if (list.isEmpty()) {
            order.remove(key);
          }
          if (!dropped.isEmpty()) {
            done.add("removed " + String.join(", ", dropped) + " from auth.order." + key
                + (list.isEmpty() ? " (now empty, so removed)" : ""));
          }
        }
        if (order.isEmpty() && root.get("auth") instanceof ObjectNode auth) {
          auth.remove("order");
        }
      });
      done.forEach(n -> changes.add(new Change(f.code(), null, config, n + " in " + config, true)));
    } catch (JsonFileException e) {
      changes.add(new Change(f.code(), null, config, "left " + config + " unchanged: " + e.getMessage(), false));
    } catch (IOException e) {
      changes.add(new Change(f.code(), null, config, "could not update " + config + ": " + e.getMessage(), false));
    }
  }

  /** Declares profiles in the config's {@code auth.profiles}, as paste-token does. */
  static void declareProfiles(Finding f, Repair.DeclareProfiles d, StatePaths paths, Set<Path> unparsable,
      List<Change> changes) {
    Path config = paths.configPath();
    if (unparsable.contains(config)) {
      return;
    }
    try {
      ConfigFile.update(config, root -> {
        ObjectNode auth = root.get("auth") instanceof ObjectNode a ? a : root.putObject("auth");
        ObjectNode profiles = auth.get("profiles") instanceof ObjectNode p ? p : auth.putObject("profiles");
        d.profiles().forEach((id, decl) -> {
          if (!profiles.has(id)) {
            ObjectNode entry = profiles.putObject(id);
            entry.put("provider", decl[0]);
            entry.put("mode", decl[1]);
          }
        });
      });
      changes.add(new Change(f.code(), f.agentId(), config, "declared " + String.join(", ", d.profiles().keySet())
          + " in auth.profiles of " + config, true));
    } catch (JsonFileException e) {
      changes.add(new Change(f.code(), f.agentId(), config, "left " + config + " unchanged: " + e.getMessage(), false));
    } catch (IOException e) {
      changes.add(new Change(f.code(), f.agentId(), config, "could not update " + config + ": " + e.getMessage(), false));
    }
  }

  /**
   * Imports a 2026.1 auth-profiles.json into the SQLite store as OpenClaw 2026.9's doctor does:
   * profiles the store lacks (ids already there win), with their usage stats and the file's order
   * where the agent has none; then the file is renamed {@code .migrated-<time>-<uuid>} so that
   * neither tool reads it again. Done under the file's own 2026.1 lock, so a 2026.1 writer that
   * is still running is waited for.
   */
  static void importLegacyJson(Finding f, Repair.ImportLegacyJson i, java.time.Clock clock, List<Change> changes) {
    Path file = i.file();
    try {
      StoreLock.holding(file, () -> importLegacyJsonLocked(f, i, clock)).ifPresent(changes::add);
    } catch (JsonFileException e) {
      changes.add(new Change(f.code(), f.agentId(), file, "left " + file + " unchanged: " + e.getMessage(), false));
    } catch (IOException e) {
      changes.add(new Change(f.code(), f.agentId(), file, "could not import " + file + ": " + e.getMessage(), false));
    }
  }

  private static Optional<Change> importLegacyJsonLocked(Finding f, Repair.ImportLegacyJson i, java.time.Clock clock)
      throws IOException, JsonFileException {
    Path file = i.file();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    StoreDocument legacy = new FileStore(file).readStored();
    List<String> imported = i.store().update(doc -> {
      List<String> added = new ArrayList<>();
      legacy.profiles().forEach((id, c) -> {
        if (!doc.hasProfileId(id)) {
          doc.putProfile(id, c);
          UsageStats u = legacy.usage(id);
          if (!u.equals(UsageStats.EMPTY)) {
            u.writeInto(doc.usageNode(id));
          }
          added.add(id);
        }
      });
      legacy.orders().forEach((provider, ids) -> {
        if (doc.order(provider).isEmpty()) {
          doc.setOrder(provider, ids);
        }
      });
      return added;
    });
    Path archive = file.resolveSibling(LegacyJsonCheck.archiveName(file, clock.instant()));
    Files.move(file, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(new Change(f.code(), f.agentId(), file, (imported.isEmpty() ? "nothing to import from " + file
        : "imported " + String.join(", ", imported) + " from " + file) + "; it is kept as " + archive, true));
  }
}
