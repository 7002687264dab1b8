package dev.clawauth.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.OAuthFence;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One agent's credentials in OpenClaw 2026.9's SQLite store: the shared store overlaid by the
 * agent's own database ({@link Overlay}). A change is one short {@code BEGIN IMMEDIATE}
 * transaction per database: re-read, apply, write back only the documents that changed, each to
 * the database {@link Routing} names. Nothing of Clawauth's own is written into a row: OpenClaw
 * drops fields it does not know on its next write.
 */
public final class SqliteStore implements CredentialStore {
  private static final String RELOGIN_FIELD = "clawauthRelogin";

  private final SqliteLayout layout;
  private final Clock clock;
  /** Connections kept open only to ask {@link #changeStamp} (SQLite's data version is per connection). */
  private SqliteDb sharedWatch;
  private SqliteDb ownWatch;

  public SqliteStore(SqliteLayout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  public SqliteLayout layout() {
    return layout;
  }

  @Override
  public StoreKind kind() {
    return StoreKind.SQLITE;
  }

  /** The agent's database once it holds credentials, else the shared store's (as OpenClaw shows it). */
  @Override
  public Path path() {
    if (!layout.ownIsShared() && Files.isRegularFile(layout.ownDb())) {
      try {
        if (read(layout.ownDb(), new AuthRows.Agent()).isPresent()) {
          return layout.ownDb();
        }
      } catch (IOException | JsonFileException e) {
        return layout.ownDb();
      }
    }
    return layout.sharedDb();
  }

  @Override
  public List<Path> files() {
    return layout.ownIsShared() ? List.of(layout.sharedDb()) : List.of(layout.sharedDb(), layout.ownDb());
  }

  @Override
  public boolean exists() {
    return Files.isRegularFile(layout.sharedDb()) || Files.isRegularFile(layout.ownDb());
  }

  @Override
  public StoreDocument read() throws IOException, JsonFileException {
    return readStored();
  }

  @Override
  public StoreDocument readStored() throws IOException, JsonFileException {
    Overlay.Docs shared = read(layout.sharedDb(), layout.sharedRows()).orElseGet(Overlay.Docs::empty);
    Overlay.Docs own = layout.ownIsShared() ? null : read(layout.ownDb(), new AuthRows.Agent()).orElse(null);
    java.util.Map<String, Path> origins = new java.util.HashMap<>();
    if (shared.section("profiles") != null) {
      shared.section("profiles").fieldNames().forEachRemaining(id -> origins.put(id, layout.sharedDb()));
    }
    if (own != null && own.section("profiles") != null) {
      own.section("profiles").fieldNames().forEachRemaining(id -> origins.put(id, layout.ownDb()));
    }
    return StoreDocument.over(Overlay.view(shared, own), origins);
  }

  /**
   * Whether the agent's own database holds any profile: OpenClaw 2026.9 refuses every command of
   * an agent whose directory still has a legacy auth-profiles.json until it does.
   */
  public boolean ownHoldsProfiles() throws IOException, JsonFileException {
    Optional<Overlay.Docs> own = read(layout.ownDb(), new AuthRows.Agent());
    return own.map(d -> d.section("profiles") != null && !d.section("profiles").isEmpty()).orElse(false);
  }

  @Override
  public String holderOf(String id) {
    try {
      if (!layout.ownIsShared() && read(layout.ownDb(), new AuthRows.Agent())
          .map(d -> Overlay.holds(d, "profiles", id)).orElse(false)) {
        return layout.ownDb() + " (agent " + layout.agentId() + " only)";
      }
    } catch (IOException | JsonFileException e) {
      return layout.ownDb().toString();
    }
    return "the shared store " + layout.sharedDb() + " (every agent reads it)";
  }

  @Override
  public List<String> pendingImports() {
    return List.of();
  }

  /**
   * One database's documents; empty when the file or its credential row is missing (OpenClaw
   * ignores an agent database's state row without one).
   */
  private static Optional<Overlay.Docs> read(Path file, AuthRows rows) throws IOException, JsonFileException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Raw raw;
    try (SqliteDb db = SqliteDb.open(file)) {
      raw = db.snapshot(d -> new Raw(rows.readStore(d), rows.readState(d)));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
    return raw.store().isEmpty() && rows instanceof AuthRows.Agent ? Optional.empty()
        : Optional.of(parse(file, rows, raw));
  }

  private record Raw(Optional<String> store, Optional<String> state) {}

  /** Parses both documents; state OpenClaw left inside the credential document moves to the state one. */
  private static Overlay.Docs parse(Path file, AuthRows rows, Raw raw) throws JsonFileException {
    ObjectNode store = document(file, rows, "store", raw.store());
    ObjectNode state = document(file, rows, "state", raw.state());
    for (String section : Overlay.STATE_SECTIONS) {
      if (store.remove(section) instanceof ObjectNode inStore) {
        ObjectNode target = state.get(section) instanceof ObjectNode o ? o : state.putObject(section);
        inStore.properties().forEach(e -> {
          if (!target.has(e.getKey())) {
            target.set(e.getKey(), e.getValue());
          }
        });
      }
    }
    return new Overlay.Docs(store, state);
  }

  private static ObjectNode document(Path file, AuthRows rows, String which, Optional<String> json)
      throws JsonFileException {
    if (json.isEmpty()) {
      return which.equals("store") ? Overlay.emptyStore() : Overlay.versioned();
    }
    String where = file + " (" + rows.describe(which) + ")";
    String advice = "Let OpenClaw repair it (openclaw doctor --fix); Clawauth will not overwrite it.";
    JsonNode n = Json.parseStrict(file, where, advice, json.get());
    if (!(n instanceof ObjectNode o)) {
      throw new JsonFileException(file, where, 1, 1, "the value is not a JSON object", advice);
    }
    if (which.equals("store") && o.has("profiles") && !o.get("profiles").isObject()) {
      throw new JsonFileException(file, where, 1, 1, "\"profiles\" is not a JSON object", advice);
    }
    return o;
  }

  @Override
  public <T> T update(Mutation<T> mutation) throws IOException, JsonFileException {
    while (true) {
      Attempt<T> a = attempt(mutation);
      if (a.done()) {
        return a.result();
      }
      // A database the change needs did not exist: it is made now (or OpenClaw made it
      // meanwhile), and the change runs again on a fresh read.
      a.create().run();
    }
  }

  @FunctionalInterface
  private interface Creation {
    void run() throws IOException;
  }

  private record Attempt<T>(boolean done, T result, Creation create) {}

  private <T> Attempt<T> attempt(Mutation<T> mutation) throws IOException, JsonFileException {
    // Fixed order (own, then shared) so that two Clawauth writers never wait on each other in a
    // cycle; OpenClaw holds one database at a time.
    try (Txn own = layout.ownIsShared() ? null : Txn.beginIfPresent(layout.ownDb(), new AuthRows.Agent());
        Txn shared = Txn.beginIfPresent(layout.sharedDb(), layout.sharedRows())) {
      Overlay.Docs sharedDocs = shared == null ? Overlay.Docs.empty() : shared.docs();
      Overlay.Docs ownDocs = own == null || !own.hasStoreRow() ? null : own.docs();
      ObjectNode before = Overlay.view(sharedDocs, ownDocs);
      StoreDocument doc = StoreDocument.over(before.deepCopy());
      T result = mutation.apply(doc);
      ObjectNode after = nativeForm(doc.treeCopy());
      Overlay.Docs newShared = sharedDocs.copy();
      Overlay.Docs newOwn = layout.ownIsShared() ? newShared
          : ownDocs == null ? Overlay.Docs.empty() : ownDocs.copy();
      new Routing(layout, sharedDocs, ownDocs, doc.replacedIds()).apply(before, after, newShared, newOwn);
      boolean ownChanged = !layout.ownIsShared() && !newOwn.equals(ownDocs == null ? Overlay.Docs.empty() : ownDocs);
      boolean sharedChanged = !newShared.equals(sharedDocs);
      if (ownChanged && own == null) {
        return new Attempt<>(false, null, () -> AgentDatabase.createAgentDb(layout.ownDb(), layout.agentId(),
            clock.millis()));
      }
      if (sharedChanged && shared == null) {
        return new Attempt<>(false, null, layout.shared() == SqliteLayout.Shared.STATE_DB
            ? () -> AgentDatabase.createStateDb(layout.sharedDb())
            : () -> AgentDatabase.createAgentDb(layout.sharedDb(), SqliteLayouts.MAIN, clock.millis()));
      }
      long now = clock.millis();
      if (ownChanged) {
        own.write(newOwn, now);
      }
      if (sharedChanged) {
        shared.write(newShared, now);
      }
      if (own != null) {
        own.commit();
      }
      if (shared != null) {
        shared.commit();
      }
      for (var spent : spentSharedTokens(sharedDocs, newShared).entrySet()) {
        Peers.retire(layout, spent.getKey(), spent.getValue(), now);
      }
      return new Attempt<>(true, result, null);
    }
  }

  /** Shared OAuth profiles whose refresh token this change replaced: id to the old, spent token. */
  private static java.util.Map<String, String> spentSharedTokens(Overlay.Docs before, Overlay.Docs after) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    ObjectNode was = before.section("profiles");
    ObjectNode now = after.section("profiles");
    if (was == null || now == null) {
      return out;
    }
    was.properties().forEach(e -> {
      JsonNode next = now.get(e.getKey());
      String old = e.getValue().path("refresh").asText("");
      if (e.getValue().path("type").asText().equals("oauth") && !old.isEmpty() && next != null
          && next.path("type").asText().equals("oauth") && !old.equals(next.path("refresh").asText(""))) {
        out.put(e.getKey(), old);
      }
    });
    return out;
  }

  /**
   * The view as OpenClaw 2026.9 writes it: a profile Clawauth marked as needing a new login (its
   * refresh token was refused) becomes OpenClaw's failed fence, which 2026.9 reads the same way;
   * Clawauth's own mark would be dropped on OpenClaw's next write.
   */
  static ObjectNode nativeForm(ObjectNode view) {
    if (!(view.get("profiles") instanceof ObjectNode profiles)) {
      return view;
    }
    profiles.properties().forEach(e -> {
      if (e.getValue() instanceof ObjectNode p && p.has(RELOGIN_FIELD)) {
        p.remove(RELOGIN_FIELD);
        OAuthFence f = OAuthFence.failedOver(e.getKey(), p.path("provider").asText(),
            p.path("access").asText(""), p.path("refresh").asText(""));
        for (String gone : List.of("idToken", "oauthRef", "copyToAgents")) {
          p.remove(gone);
        }
        p.put("access", f.accessValue());
        p.put("refresh", f.refreshValue());
        p.put("expires", 1);
      }
    });
    return view;
  }

  /** One database held in a {@code BEGIN IMMEDIATE} transaction until committed or closed. */
  private static final class Txn implements AutoCloseable {
    private final SqliteDb db;
    private final AuthRows rows;
    private final Overlay.Docs docs;
    private final boolean storeRow;
    private boolean open = true;

    private Txn(SqliteDb db, AuthRows rows, Overlay.Docs docs, boolean storeRow) {
      this.db = db;
      this.rows = rows;
      this.docs = docs;
      this.storeRow = storeRow;
    }

    static Txn beginIfPresent(Path file, AuthRows rows) throws IOException, JsonFileException {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      SqliteDb db = SqliteDb.open(file);
      try {
        db.begin();
        Raw raw = new Raw(rows.readStore(db), rows.readState(db));
        return new Txn(db, rows, parse(file, rows, raw), raw.store().isPresent());
      } catch (SQLException e) {
        db.rollbackQuietly();
        db.close();
        throw SqliteDb.failure(file, "read", e);
      } catch (JsonFileException | RuntimeException e) {
        db.rollbackQuietly();
        db.close();
        throw e;
      }
    }

    Overlay.Docs docs() {
      return docs;
    }

    boolean hasStoreRow() {
      return storeRow;
    }

    /**
     * Writes the documents that changed, as compact JSON; an emptied state row is deleted. The
     * credential row is written with the state row when it is missing: OpenClaw ignores an
     * agent's state without one.
     */
    void write(Overlay.Docs after, long now) throws IOException {
      try {
        if (!storeRow || !docs.store().equals(after.store())) {
          rows.writeStore(db, checked(JsonText.compact(after.store())), now);
        }
        if (!docs.state().equals(after.state())) {
          if (after.stateIsEmpty()) {
            rows.deleteState(db);
          } else {
            rows.writeState(db, checked(JsonText.compact(after.state())), now);
          }
        }
      } catch (SQLException e) {
        throw SqliteDb.failure(db.file(), "write", e);
      }
    }

    /** A row is written only as JSON that OpenClaw's JSON.parse, and ours, read back. */
    private String checked(String json) throws IOException {
      dev.clawauth.store.AtomicFiles.strictJson(db.file()).verify(json);
      return json;
    }

    void commit() throws IOException {
      try {
        db.commit();
        open = false;
      } catch (SQLException e) {
        throw SqliteDb.failure(db.file(), "commit to", e);
      }
    }

    @Override
    public void close() {
      if (open) {
        db.rollbackQuietly();
      }
      db.close();
    }
  }

  @Override
  public RefreshLock lockRefresh(String provider, String profileId) throws IOException {
    return RefreshLockFile.acquire(layout.stateDir(), provider, profileId);
  }

  /**
   * The identity of both database files and SQLite's data version of each: a commit by any other
   * connection, OpenClaw's included, changes it.
   */
  @Override
  public synchronized Object changeStamp() throws IOException {
    List<Object> stamp = new ArrayList<>(4);
    sharedWatch = watch(layout.sharedDb(), sharedWatch, stamp);
    if (!layout.ownIsShared()) {
      ownWatch = watch(layout.ownDb(), ownWatch, stamp);
    }
    return stamp;
  }

  private static SqliteDb watch(Path file, SqliteDb conn, List<Object> stamp) throws IOException {
    Object key;
    try {
      key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      if (conn != null) {
        conn.close();
      }
      stamp.add("missing");
      return null;
    }
    SqliteDb db = conn;
    if (db == null || !key.equals(db.fileKey())) {
      if (db != null) {
        db.close();
      }
      db = SqliteDb.open(file);
      db.rememberFileKey(key);
    }
    stamp.add(key);
    stamp.add(db.dataVersion());
    return db;
  }

  @Override
  public String toString() {
    return path().toString();
  }
}
