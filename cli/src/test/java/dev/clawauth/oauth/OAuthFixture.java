package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.state.Environment;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A state directory whose config points an OAuth provider at a {@link FakeOAuthServer}. */
final class OAuthFixture {
  final Path home;
  final Path state;
  final Map<String, String> vars = new HashMap<>();
  final String redirectUri;
  final int callbackPort;

  OAuthFixture(Path tmp, FakeOAuthServer server, String provider) throws IOException {
    home = tmp.resolve("home");
    state = tmp.resolve("state");
    Files.createDirectories(home);
    Files.createDirectories(state);
    callbackPort = freePort();
    redirectUri = "http://localhost:" + callbackPort + "/auth/callback";
    Files.writeString(state.resolve("openclaw.json"), server.config(provider, redirectUri));
    vars.put("OPENCLAW_STATE_DIR", state.toString());
    vars.put("DISPLAY", ":0");
  }

  Environment environment() {
    return new Environment(Map.copyOf(vars), home, home);
  }

  AgentContext agent() throws Exception {
    return AgentContext.open(environment(), null, Clock.systemUTC());
  }

  /** Makes the state directory an OpenClaw 2026.9 one: the shared store in state/openclaw.sqlite. */
  OAuthFixture useSqlite() throws Exception {
    Path db = Files.createDirectories(state.resolve("state")).resolve("openclaw.sqlite");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL,"
          + " updated_at_ms INTEGER NOT NULL) STRICT");
      st.execute("INSERT INTO config_machine_state VALUES ('auth.sharedStore', '{\"location\":\"state-db\"}', 1)");
    }
    return this;
  }

  Path sharedDb() {
    return state.resolve("state/openclaw.sqlite");
  }

  /** A row of the shared database ({@code authProfiles.store}, ...), as JSON text. */
  String sharedRow(String key) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sharedDb());
        var ps = c.prepareStatement("SELECT value_json FROM config_machine_state WHERE state_key = ?")) {
      ps.setString(1, key);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Rewrites a row of the shared database in one transaction, as OpenClaw does. */
  void setSharedRow(String key, String json) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sharedDb());
        var ps = c.prepareStatement("INSERT INTO config_machine_state VALUES (?, ?, ?) ON CONFLICT(state_key)"
            + " DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms")) {
      ps.setString(1, key);
      ps.setString(2, json);
      ps.setLong(3, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  Path storeFile() {
    return state.resolve("agents/main/agent/auth-profiles.json");
  }

  /** Stores an OAuth profile holding the server's initial tokens, expiring at {@code expires}. */
  String[] seedProfile(FakeOAuthServer server, String provider, String id, long expires) throws Exception {
    String[] t = server.issueInitial();
    agent().store().update(doc -> {
      doc.putProfile(id, new Credential.OAuth(provider, new Secret(t[0]), new Secret(t[1]), expires,
          FakeOAuthServer.ACCOUNT_ID, null, null));
      return null;
    });
    return t;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
