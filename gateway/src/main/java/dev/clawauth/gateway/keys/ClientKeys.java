package dev.clawauth.gateway.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys file, {@code <state>/clawauth-gateway-keys.json}: created, listed and revoked by the
 * CLI, read by the gateway. Written 0600 in a 0700 directory, atomically, each change a
 * read-modify-write under the file's lock. A file that does not parse is reported with its line and
 * column and never written over.
 */
public final class ClientKeys {
  public static final String FILE = "clawauth-gateway-keys.json";
  /** What every key starts with, so that one found in a log or a repository is recognised. */
  public static final String KEY_PREFIX = "clk_";
  private static final int SHOWN_CHARS = 6;
  private static final ObjectMapper MAPPER = Json.strict().copy().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The file's content: a version, then the keys in creation order. */
  public record Doc(int version, List<ClientKey> keys) {
    public Doc {
      if (version != 1) {
        throw new IllegalArgumentException("version " + version + " is not one this Clawauth knows (1)");
      }
      keys = keys == null ? List.of() : List.copyOf(keys);
    }
  }

  /** A new key: its record and the key itself, which is shown once and never stored. */
  public record Created(ClientKey key, Secret secret) {}

  /** A name given to revoke that is not in the file. */
  public static final class UnknownKeyException extends Exception {
    public UnknownKeyException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final Clock clock;

  public ClientKeys(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public static Path file(StatePaths paths) {
    return paths.stateDir().resolve(FILE);
  }

  public Path path() {
    return file;
  }

  /** Every key, revoked ones included; none when the file does not exist. */
  public List<ClientKey> list() throws IOException, JsonFileException {
    return read().keys();
  }

  Doc read() throws IOException, JsonFileException {
    String text;
    try {
      text = AtomicFiles.read(file);
    } catch (NoSuchFileException absent) {
      return new Doc(1, List.of());
    }
    return TypedJson.read(file, text, Doc.class);
  }

  /**
   * Creates a key for {@code agent}, limited to {@code models} (empty: all), valid for
   * {@code expiresIn} (null: until revoked). Names are unique among all keys, revoked ones
   * included, so that a name in the usage counts always means one key.
   */
  public Created create(String name, String agent, List<String> models, Duration expiresIn)
      throws IOException, JsonFileException {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = clock.millis();
    ClientKey record = new ClientKey(name, sha256(key), key.substring(0, KEY_PREFIX.length() + SHOWN_CHARS), agent,
        models, now, expiresIn == null ? null : now + expiresIn.toMillis(), null);
    update(keys -> {
      for (ClientKey k : keys) {
        if (k.name().equals(name)) {
          throw new IllegalArgumentException("a key named " + name + (k.revoked() ? " existed and was revoked" : " exists")
              + "; names are never reused: pick another name");
        }
      }
      keys.add(record);
    });
    return new Created(record, new Secret(key));
  }

  /** Marks the key revoked (kept, so that the gateway can tell its holder why it is refused). */
  public ClientKey revoke(String name) throws IOException, JsonFileException, UnknownKeyException {
    var found = new Object() {
      ClientKey key;
    };
    update(keys -> {
      for (int i = 0; i < keys.size(); i++) {
        ClientKey k = keys.get(i);
        if (k.name().equals(name)) {
          found.key = k.revoked() ? k : k.revokedAt(clock.millis());
          keys.set(i, found.key);
        }
      }
    });
    if (found.key == null) {
      List<String> names = list().stream().filter(k -> !k.revoked()).map(ClientKey::name).toList();
      throw new UnknownKeyException("no key named " + name + " in " + file + "; keys: "
          + (names.isEmpty() ? "(none)" : String.join(", ", names)));
    }
    return found.key;
  }

  private interface Change {
    void apply(List<ClientKey> keys);
  }

  private void update(Change change) throws IOException, JsonFileException {
    AtomicFiles.createPrivateDirectories(file.getParent());
    StoreLock.holding(file, () -> {
      List<ClientKey> keys = new ArrayList<>(read().keys());
      int before = keys.size();
      List<ClientKey> copy = List.copyOf(keys);
      change.apply(keys);
      if (keys.size() != before || !keys.equals(copy)) {
        AtomicFiles.write(file, MAPPER.writeValueAsString(new Doc(1, keys)) + "\n");
      }
      return null;
    });
  }

  /** The hex SHA-256 of a key: a 256-bit random key needs no slow hash, nothing can be guessed from it. */
  public static String sha256(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
