package dev.clawauth.doctor;

import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.AuthStore;
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
  static void storeEdits(AuthStore store, List<Finding> findings, Set<Path> unparsable, long now,
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
}
