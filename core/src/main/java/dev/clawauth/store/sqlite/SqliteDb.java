package dev.clawauth.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * One connection to an OpenClaw database, set up the way OpenClaw sets up its own (busy timeout,
 * synchronous, foreign keys) and never touching what belongs to OpenClaw: the journal mode, the
 * schema version and tables other than the rows a caller names. Changes run in short
 * {@code BEGIN IMMEDIATE} transactions; nothing here copies, renames or rewrites the file.
 */
final class SqliteDb implements AutoCloseable {
  /** OpenClaw waits 5 s for a writer; a second writer should wait at least as long. */
  static final int BUSY_TIMEOUT_MS = 10_000;

  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(SqliteDb db) throws SQLException, IOException;
  }

  private final Path file;
  private final Connection conn;
  /** The file's identity when a watcher opened it, so it can tell a replaced file. */
  private Object fileKey;

  private SqliteDb(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
  }

  /** Opens a database that exists; never creates one. */
  static SqliteDb open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    return connect(file, false);
  }

  /** Opens a database, creating the file (mode 0600) when it is missing. */
  static SqliteDb openOrCreate(Path file) throws IOException {
    return connect(file, true);
  }

  private static SqliteDb connect(Path file, boolean create) throws IOException {
    SqliteNative.prepare();
    SQLiteConfig cfg = new SQLiteConfig();
    if (!create) {
      cfg.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
    cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    cfg.enforceForeignKeys(true);
    try {
      Connection c = cfg.createConnection("jdbc:sqlite:" + file);
      return new SqliteDb(file, c);
    } catch (SQLException e) {
      throw failure(file, "open", e);
    }
  }

  Path file() {
    return file;
  }

  Connection connection() {
    return conn;
  }

  Object fileKey() {
    return fileKey;
  }

  void rememberFileKey(Object key) {
    this.fileKey = key;
  }

  /** Starts a {@code BEGIN IMMEDIATE} transaction that {@link #commit} or {@link #rollbackQuietly} ends. */
  void begin() throws SQLException {
    execute("BEGIN IMMEDIATE");
  }

  void commit() throws SQLException {
    execute("COMMIT");
  }

  void rollbackQuietly() {
    try {
      execute("ROLLBACK");
    } catch (SQLException ignored) {
      // No transaction was open, or SQLite already rolled it back.
    }
  }

  /** Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction: other writers wait for it. */
  <T> T immediate(Work<T> work) throws IOException {
    return transaction("BEGIN IMMEDIATE", work);
  }

  /** Runs {@code work} on one consistent snapshot of the database. */
  <T> T snapshot(Work<T> work) throws IOException {
    return transaction("BEGIN", work);
  }

  private <T> T transaction(String begin, Work<T> work) throws IOException {
    try (Statement st = conn.createStatement()) {
      st.execute(begin);
    } catch (SQLException e) {
      throw failure(file, "begin a transaction on", e);
    }
    boolean done = false;
    try {
      T result = work.run(this);
      commit();
      done = true;
      return result;
    } catch (SQLException e) {
      throw failure(file, "use", e);
    } finally {
      if (!done) {
        rollbackQuietly();
      }
    }
  }

  boolean hasTable(String table) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The text in {@code valueColumn} of the row whose {@code keyColumn} is {@code key}. */
  Optional<String> text(String table, String keyColumn, String valueColumn, String key) throws SQLException {
    if (!hasTable(table)) {
      return Optional.empty();
    }
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT " + valueColumn + " FROM " + table + " WHERE " + keyColumn + " = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Inserts or replaces one row's value, stamping {@code timeColumn} with {@code now} as INTEGER. */
  void upsert(String table, String keyColumn, String valueColumn, String timeColumn, String key, String value,
      long now) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + table + " (" + keyColumn + ", "
        + valueColumn + ", " + timeColumn + ") VALUES (?, ?, ?) ON CONFLICT(" + keyColumn + ") DO UPDATE SET "
        + valueColumn + " = excluded." + valueColumn + ", " + timeColumn + " = excluded." + timeColumn)) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
  }

  void delete(String table, String keyColumn, String key) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + table + " WHERE " + keyColumn + " = ?")) {
      ps.setString(1, key);
      ps.executeUpdate();
    }
  }

  void execute(String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * SQLite's data version: it changes when another connection commits to the file, so a reader
   * that keeps this connection open can tell whether to read again.
   */
  long dataVersion() throws IOException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA data_version")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw failure(file, "read", e);
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // Nothing is pending: every transaction has ended.
    }
  }

  /** An IOException naming the file and what went wrong, with the driver's message (never data). */
  static IOException failure(Path file, String doing, SQLException e) {
    String why = e.getMessage();
    if (e instanceof SQLiteException se) {
      SQLiteErrorCode code = se.getResultCode();
      why = switch (code.code & 0xff) {
        case 5, 6 -> "the database stayed locked by another program for more than "
            + BUSY_TIMEOUT_MS / 1000 + " s";
        case 11, 26 -> "the file is not a healthy SQLite database (" + code.name() + ")";
        case 8 -> "the file is read-only for this user";
        case 14 -> "it cannot be opened";
        default -> code.name() + (se.getMessage() == null ? "" : ": " + firstLine(se.getMessage()));
      };
    }
    return new IOException("could not " + doing + " " + file + ": " + why, e);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
