package dev.clawauth.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * clawauth.json's {@code store} block: where the database is, how to log in, which keys seal the
 * secrets. The password and the keys come from files or the environment, never from the config.
 *
 * <pre>{@code
 * store: {
 *   url: "postgresql://clawauth@db.internal:5432/clawauth",
 *   passwordFile: "/etc/clawauth/pg-password",   // else $CLAWAUTH_STORE_PASSWORD, else ~/.pgpass
 *   keyFile: "/etc/clawauth/store.key",          // else $CLAWAUTH_STORE_KEY
 *   previousKeyFiles: ["/etc/clawauth/store.key.1"],
 *   schema: "clawauth", poolSize: 8, connectTimeoutMs: 5000,
 * }
 * }</pre>
 */
public record PostgresSettings(PgUrl url, String schema, Optional<Path> passwordFile, String passwordEnv,
    Optional<Path> keyFile, String keyEnv, List<Path> previousKeyFiles, int poolSize, Duration connectTimeout,
    StatePaths paths) {

  public static final String DEFAULT_PASSWORD_ENV = "CLAWAUTH_STORE_PASSWORD";
  public static final String DEFAULT_KEY_ENV = "CLAWAUTH_STORE_KEY";
  public static final String PREVIOUS_KEYS_ENV = "CLAWAUTH_STORE_PREVIOUS_KEYS";
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public static PostgresSettings from(JsonNode store, StatePaths paths) {
    PgUrl url = PgUrl.parse(store.path("url").asText(""));
    String schema = store.path("schema").asText("clawauth");
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("store.schema \"" + schema + "\" must be lower-case letters, digits and _");
    }
    List<Path> previous = new ArrayList<>();
    store.path("previousKeyFiles").forEach(n -> previous.add(file(paths, n.asText())));
    return new PostgresSettings(url, schema,
        Optional.ofNullable(store.get("passwordFile")).map(n -> file(paths, n.asText())),
        store.path("passwordEnv").asText(DEFAULT_PASSWORD_ENV),
        Optional.ofNullable(store.get("keyFile")).map(n -> file(paths, n.asText())),
        store.path("keyEnv").asText(DEFAULT_KEY_ENV), List.copyOf(previous),
        Math.max(2, store.path("poolSize").asInt(8)),
        Duration.ofMillis(Math.max(250, store.path("connectTimeoutMs").asLong(5000))), paths);
  }

  /** The same settings pointed at another database (a copy between stores). */
  public PostgresSettings withUrl(PgUrl other) {
    return new PostgresSettings(other, schema, passwordFile, passwordEnv, keyFile, keyEnv, previousKeyFiles,
        poolSize, connectTimeout, paths);
  }

  /** A file setting: {@code ~} and variables expanded; a relative path is under the state directory. */
  private static Path file(StatePaths paths, String name) {
    if (name.startsWith("~") || name.startsWith("$")) {
      return paths.env().expand(name);
    }
    Path p = Path.of(name);
    return p.isAbsolute() ? p : paths.stateDir().resolve(p);
  }

  /** The address and schema only: the environment these settings read holds the password. */
  @Override
  public String toString() {
    return url.display() + " (schema " + schema + ")";
  }

  /** What identifies one database and schema within this process: one pool and one listener each. */
  String identity() {
    return url.jdbcUrl() + "|" + url.user() + "|" + schema;
  }

  /** The password, when one is set; the driver falls back to ~/.pgpass otherwise. */
  Optional<Secret> password() throws IOException {
    if (passwordFile.isPresent()) {
      return Optional.of(new Secret(readSecretFile(passwordFile.get(), "store.passwordFile").strip()));
    }
    return paths.env().get(passwordEnv).filter(v -> !v.isEmpty()).map(Secret::new);
  }

  /** The keys that seal and open secrets: the current one first. */
  KeyRing keys() throws IOException {
    List<byte[]> raw = new ArrayList<>();
    if (keyFile.isPresent()) {
      raw.add(KeyRing.decode(readSecretFile(keyFile.get(), "store.keyFile"), keyFile.get().toString()));
    } else {
      String v = paths.env().get(keyEnv).orElseThrow(() -> new IOException("The PostgreSQL store encrypts "
          + "credentials with a key this host holds: set store.keyFile in " + paths.stateDir().resolve("clawauth.json")
          + " or $" + keyEnv + " (make one with `clawauth store keygen`)"));
      raw.add(KeyRing.decode(v, "$" + keyEnv));
    }
    for (Path p : previousKeyFiles) {
      raw.add(KeyRing.decode(readSecretFile(p, "store.previousKeyFiles"), p.toString()));
    }
    Optional<String> prev = paths.env().get(PREVIOUS_KEYS_ENV);
    if (prev.isPresent()) {
      for (String k : prev.get().split(",", -1)) {
        if (!k.isBlank()) {
          raw.add(KeyRing.decode(k, "$" + PREVIOUS_KEYS_ENV));
        }
      }
    }
    return KeyRing.of(raw);
  }

  private static String readSecretFile(Path file, String setting) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException(setting + " names " + file + ", which does not exist");
    }
  }
}
