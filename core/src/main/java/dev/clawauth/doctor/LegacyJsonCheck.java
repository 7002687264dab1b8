package dev.clawauth.doctor;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.Credential;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreKind;
import dev.clawauth.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A 2026.1 auth-profiles.json left in an agent directory of a state directory whose credentials
 * OpenClaw 2026.9 keeps in SQLite: both eras' stores then hold credentials, and they may disagree.
 * OpenClaw 2026.9 refuses every command of that agent while its own database holds no profile,
 * and ignores the file otherwise; either way what only the file holds is not used.
 */
final class LegacyJsonCheck {
  private LegacyJsonCheck() {}

  static void check(AgentContext agent, StoreDocument sqliteView, List<Finding> out, java.util.Set<Path> unparsable) {
    if (agent.store().kind() != StoreKind.SQLITE || !(agent.store() instanceof SqliteStore sqlite)) {
      return;
    }
    Path file = agent.agentDir().resolve(StatePaths.STORE_FILE);
    if (!Files.isRegularFile(file) || unparsable.contains(file)) {
      return;
    }
    StoreDocument legacy;
    boolean blocks;
    try {
      legacy = new FileStore(file).readStored();
      blocks = !sqlite.ownHoldsProfiles();
    } catch (JsonFileException | IOException e) {
      // Its own finding (does not parse, cannot be read) says so.
      return;
    }
    List<String> onlyThere = new ArrayList<>();
    List<String> differ = new ArrayList<>();
    for (Map.Entry<String, Credential> e : legacy.profiles().entrySet()) {
      var mine = sqliteView.profile(e.getKey());
      if (mine.isEmpty()) {
        onlyThere.add(e.getKey());
      } else if (!mine.get().equals(e.getValue())) {
        differ.add(e.getKey());
      }
    }
    String id = agent.agentId();
    String what = file + " (OpenClaw 2026.1's file) is still here beside the SQLite store"
        + (onlyThere.isEmpty() ? "" : "; only the file holds " + String.join(", ", onlyThere))
        + (differ.isEmpty() ? "" : "; " + String.join(", ", differ) + " differ" + (differ.size() == 1 ? "s" : "")
            + " between the two (the SQLite one is used)");
    String why = blocks
        ? "OpenClaw 2026.9 refuses every command of agent " + id + " (\"requires legacy credential"
            + " migration\") until the file is imported"
        : onlyThere.isEmpty() ? "nothing reads it; it still holds secrets"
        : "OpenClaw 2026.9 and Clawauth ignore it, so those profiles are not used";
    boolean main = id.equals("main");
    out.add(new Finding("legacy-store-beside-sqlite", blocks ? Severity.ERROR : Severity.WARNING, Section.STATE,
        id, file, what, why,
        "clawauth doctor --fix" + FixCommands.agentFlag(id, main) + " (imports what only the file holds into "
            + (main ? "the shared store" : "agent " + id + "'s database") + ", ids already there win, and renames"
            + " the file to " + StatePaths.STORE_FILE + ".migrated-<time>-<id>, as `openclaw doctor --fix` does)",
        new Repair.ImportLegacyJson(agent.store(), file, main)));
  }

  static String archiveName(Path file, java.time.Instant now) {
    return file.getFileName() + ".migrated-" + now.toString().replace(':', '-') + "-" + java.util.UUID.randomUUID();
  }

}
