package dev.clawauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.OwnSettings;
import dev.clawauth.json.Json;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreEra;
import dev.clawauth.store.StoreKind;
import dev.clawauth.store.postgres.PgUrl;
import dev.clawauth.store.postgres.PostgresBackend;
import dev.clawauth.store.postgres.PostgresSettings;
import dev.clawauth.store.postgres.StoreAdmin;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", description = {
    "Copy agents' profiles, order and usage stats from the files into a PostgreSQL database",
    "(--to postgresql://user@host/db), or from the database clawauth.json names back into the",
    "files (--to file). The password and the key come from clawauth.json's store block, the flags",
    "or $CLAWAUTH_STORE_PASSWORD / $CLAWAUTH_STORE_KEY. Nothing is switched: point (or stop",
    "pointing) store.url at the database afterwards."})
public final class StoreMigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "<url|file>",
      description = "postgresql://user@host[:port]/database, or file.")
  String to;

  @Option(names = "--agent", paramLabel = "<id>", description = "Only this agent (default: every agent).")
  String agent;

  @Option(names = "--dry-run", description = "Show what would move; write nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Replace an agent's credentials already at the target when they differ.")
  boolean force;

  @Option(names = "--schema", paramLabel = "<name>", description = "Schema in the database (default: clawauth.json's, else clawauth).")
  String schema;

  @Option(names = "--key-file", paramLabel = "<file>", description = "Key that seals the secrets (default: clawauth.json's store.keyFile, else $CLAWAUTH_STORE_KEY).")
  String keyFile;

  @Option(names = "--password-file", paramLabel = "<file>", description = "File holding the database password (default: clawauth.json's, else $CLAWAUTH_STORE_PASSWORD, else ~/.pgpass).")
  String passwordFile;

  /** One agent's move: what the source holds and what the target held. */
  private record Move(String agentId, StoreDocument from, StoreDocument was, CredentialStore target) {}

  @Override
  public Integer call() throws Exception {
    Environment env = Environment.system();
    Clock clock = Clock.systemUTC();
    StatePaths paths = StatePaths.resolve(env);
    ClawConfig config = ClawConfig.load(paths.configPath());
    StoreEra era = StoreEra.detect(paths, config);
    boolean toFile = to.equalsIgnoreCase("file");
    PostgresSettings db = settings(paths, era, toFile);
    List<String> agents = agent != null ? List.of(AgentIds.validate(agent))
        : toFile ? StoreAdmin.agentIds(db) : localAgents(paths, config);
    StoreEra local = era.kind() == StoreKind.POSTGRES
        ? new StoreEra(StoreKind.FILE, Optional.empty(), "store migrate") : era;
    List<Move> moves = new ArrayList<>();
    for (String id : agents) {
      CredentialStore files = AgentContext.open(paths, config, local, id, clock).store();
      CredentialStore database = PostgresBackend.open(db, id);
      CredentialStore source = toFile ? database : files;
      CredentialStore target = toFile ? files : database;
      moves.add(new Move(id, source.readStored(), target.readStored(), target));
    }
    PrintWriter out = spec.commandLine().getOut();
    String where = toFile ? "the files" : db.url().display() + " (schema " + db.schema() + ")";
    for (Move m : moves) {
      boolean same = m.was().equals(m.from());
      boolean conflict = !same && !m.was().profiles().isEmpty();
      out.println((dryRun ? "would copy" : same ? "unchanged" : "copying") + " agent " + m.agentId() + ": "
          + summary(m.from()) + " -> " + m.target().location()
          + (same ? "" : conflict ? " (replaces " + summary(m.was()) + ")" : ""));
      if (conflict && !force && !dryRun) {
        throw new CliException("agent " + m.agentId() + " already has different credentials in " + where
            + "; nothing was written for it or the agents after it. Use --force to replace them.");
      }
      if (!dryRun && !same) {
        m.target().update(doc -> {
          doc.replaceContent(m.from());
          return null;
        });
      }
    }
    if (dryRun) {
      out.println("Dry run: nothing was written.");
    } else if (toFile) {
      out.println("Done. To use the files, remove store.url from " + paths.stateDir().resolve(OwnSettings.FILE) + ".");
    } else if (era.kind() != StoreKind.POSTGRES) {
      out.println("Done. To use the database, set store.url (with the key and password settings) in "
          + paths.stateDir().resolve(OwnSettings.FILE) + "; see docs/postgres-store.md.");
    }
    out.flush();
    return 0;
  }

  private static String summary(StoreDocument d) {
    int usage = d.treeCopy().path("usageStats").size();
    return d.profiles().size() + " profile(s), " + d.orders().size() + " order(s), " + usage + " usage entr"
        + (usage == 1 ? "y" : "ies");
  }

  /** clawauth.json's store block, pointed at {@code --to} and overridden by the flags. */
  private PostgresSettings settings(StatePaths paths, StoreEra era, boolean toFile) throws Exception {
    ObjectNode block = Json.object();
    java.nio.file.Path own = paths.stateDir().resolve(OwnSettings.FILE);
    if (Files.isRegularFile(own)) {
      JsonNode store = ClawConfig.load(own).tree().path("store");
      if (store instanceof ObjectNode o) {
        block = o.deepCopy();
      }
    }
    if (toFile) {
      if (era.kind() != StoreKind.POSTGRES) {
        throw new CliException("--to file copies from the PostgreSQL store that " + own + " names (store.url),"
            + " and this state directory uses " + era.kind().label());
      }
    } else {
      block.put("url", PgUrl.parse(to).display());
      if (PgUrl.parse(to).query() != null) {
        block.put("url", PgUrl.parse(to).display() + "?" + PgUrl.parse(to).query());
      }
    }
    if (schema != null) {
      block.put("schema", schema);
    }
    if (keyFile != null) {
      block.put("keyFile", keyFile);
    }
    if (passwordFile != null) {
      block.put("passwordFile", passwordFile);
    }
    return PostgresSettings.from(block, paths);
  }

  /** The default agent, every configured one and every directory under {@code <state>/agents}. */
  private static List<String> localAgents(StatePaths paths, ClawConfig config) throws java.io.IOException {
    TreeSet<String> ids = new TreeSet<>();
    ids.add(AgentIds.validate(config.defaultAgentId()));
    ids.addAll(config.agentIds());
    if (Files.isDirectory(paths.agentsRoot())) {
      try (var dirs = Files.list(paths.agentsRoot())) {
        dirs.filter(d -> Files.isDirectory(d.resolve("agent"))).forEach(d -> ids.add(d.getFileName().toString()));
      }
    }
    return List.copyOf(ids);
  }
}
