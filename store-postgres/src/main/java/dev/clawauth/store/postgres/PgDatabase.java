package dev.clawauth.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clawauth.store.StoreUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One database and schema as this process uses it: a connection pool, the schema brought forward
 * once, the {@link ChangeFeed} and whether the database can be reached. Shared by every agent's
 * store on it, so a gateway serving many agents keeps one pool and one listener.
 */
final class PgDatabase {
  private static final ConcurrentHashMap<String, PgDatabase> OPEN = new ConcurrentHashMap<>();
  /** After a failed connection, calls fail at once for this long instead of each waiting for the timeout. */
  static final long RETRY_MS = 1_000;

  private final PostgresSettings settings;
  private final ChangeFeed feed;
  private volatile HikariDataSource pool;
  private volatile boolean migrated;
  /** Why the last connection failed and when, or null while connections work. */
  private volatile Failure failure;

  private record Failure(String reason, long at) {}

  private PgDatabase(PostgresSettings settings) {
    this.settings = settings;
    this.feed = new ChangeFeed(this);
  }

  static PgDatabase of(PostgresSettings settings) {
    return OPEN.computeIfAbsent(settings.identity(), k -> new PgDatabase(settings));
  }

  PostgresSettings settings() {
    return settings;
  }

  ChangeFeed feed() {
    return feed;
  }

  String display() {
    return settings.url().display();
  }

  /** A pooled connection to a schema that is up to date. */
  Connection connection() throws IOException {
    Failure f = failure;
    if (f != null && System.currentTimeMillis() - f.at() < RETRY_MS) {
      throw unavailable(f.reason(), null);
    }
    try {
      if (!migrated) {
        // Before taking a connection: Flyway, when it runs, takes its own from the pool.
        migrate();
      }
      Connection c = pool().getConnection();
      failure = null;
      return c;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /**
   * A connection of its own, outside the pool: for a session lock, which must end with the
   * session rather than be left on a pooled connection, and for the listener.
   */
  Connection dedicated() throws IOException {
    Failure f = failure;
    if (f != null && System.currentTimeMillis() - f.at() < RETRY_MS) {
      throw unavailable(f.reason(), null);
    }
    try {
      Connection c = DriverManager.getConnection(settings.url().jdbcUrl(), properties());
      failure = null;
      return c;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private synchronized void migrate() throws SQLException, IOException {
    if (!migrated) {
      SchemaMigrations.apply(pool(), settings.schema());
      migrated = true;
    }
  }

  private HikariDataSource pool() throws IOException {
    HikariDataSource p = pool;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (pool == null) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("clawauth-pg");
        c.setJdbcUrl(settings.url().jdbcUrl());
        c.setDataSourceProperties(properties());
        c.setMaximumPoolSize(settings.poolSize());
        c.setMinimumIdle(1);
        c.setConnectionTimeout(settings.connectTimeout().toMillis());
        c.setValidationTimeout(Math.min(settings.connectTimeout().toMillis(), 1000));
        // Started without a connection: a database that is down is reported by the call that needs it.
        c.setInitializationFailTimeout(-1);
        c.setThreadFactory(r -> {
          Thread t = new Thread(r, "clawauth-pg-pool");
          t.setDaemon(true);
          return t;
        });
        pool = new HikariDataSource(c);
      }
      return pool;
    }
  }

  /** Driver properties: user, password, schema and timeouts; the password never leaves them. */
  Properties properties() throws IOException {
    Properties p = new Properties();
    if (settings.url().user() != null) {
      p.setProperty("user", settings.url().user());
    }
    Optional<dev.clawauth.store.Secret> password = settings.password();
    password.ifPresent(s -> p.setProperty("password", s.value()));
    p.setProperty("currentSchema", settings.schema());
    p.setProperty("ApplicationName", "clawauth");
    // The server's DETAIL can quote a whole row ("Failing row contains (...)"), which may hold profile fields.
    p.setProperty("logServerErrorDetail", "false");
    p.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
    p.setProperty("loginTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
    // A database that stops answering (not refusing) must not hold a caller for ever.
    p.setProperty("socketTimeout", "60");
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  /** Records a failed call: when it was the connection that failed, calls fail fast for a moment. */
  IOException failed(SQLException e) {
    String state = e.getSQLState();
    if ((state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")))
        || e.getClass().getSimpleName().contains("Timeout") || state == null) {
      String reason = reason(e);
      failure = new Failure(reason, System.currentTimeMillis());
      return unavailable(reason, e);
    }
    return new IOException("the PostgreSQL store at " + display() + " failed: " + reason(e), e);
  }

  void markReachable() {
    failure = null;
  }

  /** Why the database cannot be used now, from what this process last saw; never connects. */
  Optional<String> unavailable() {
    Failure f = failure;
    if (f != null) {
      return Optional.of(display() + " cannot be reached: " + f.reason());
    }
    return feed.down().map(r -> display() + " cannot be reached: " + r);
  }

  private StoreUnavailableException unavailable(String reason, Throwable cause) {
    return new StoreUnavailableException("the PostgreSQL store at " + display() + " cannot be reached: " + reason,
        cause);
  }

  /** The driver's words, first line only (they never hold the password). */
  static String reason(SQLException e) {
    // The pool's "request timed out" hides the driver's reason (refused, wrong password) in its cause.
    Throwable t = e;
    while (t.getCause() instanceof SQLException inner) {
      t = inner;
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
