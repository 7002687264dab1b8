package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One agent's auth-profiles.json. Reads take no lock (writes are atomic renames, so a reader sees
 * the old file or the new one); every change is a read-modify-write under {@link StoreLock}.
 * A file that does not parse is never written over.
 */
public final class AuthStore {
  private final Path file;
  private final LegacyImport legacy;
  private final Clock clock;

  public AuthStore(Path file, LegacyImport legacy, Clock clock) {
    this.file = file.toAbsolutePath().normalize();
    this.legacy = legacy;
    this.clock = clock;
  }

  public AuthStore(Path file) {
    this(file, LegacyImport.none(), Clock.systemUTC());
  }

  public Path path() {
    return file;
  }

  public LegacyImport legacy() {
    return legacy;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  /** The store as it is on disk, plus legacy credentials not yet imported (in memory only). */
  public StoreDocument read() throws IOException, JsonFileException {
    StoreDocument doc = readFile();
    legacy.apply(doc, clock.millis(), false);
    return doc;
  }

  /** Only what the file holds. */
  public StoreDocument readFile() throws IOException, JsonFileException {
    String text;
    try {
      text = AtomicFiles.read(file);
    } catch (NoSuchFileException missing) {
      return StoreDocument.empty();
    }
    return parse(file, text);
  }

  /** Ids that {@link #read()} shows but the file does not hold yet. */
  public List<String> pendingImports() throws IOException, JsonFileException {
    return legacy.apply(readFile(), clock.millis(), false);
  }

  static StoreDocument parse(Path file, String text) throws JsonFileException {
    JsonNode node = Json.parseStrict(file, text);
    if (!(node instanceof ObjectNode root)) {
      throw new JsonFileException(file, 1, 1, "the top level is not a JSON object");
    }
    JsonNode profiles = root.get("profiles");
    if (profiles != null && !profiles.isObject()) {
      throw new JsonFileException(file, 1, 1, "\"profiles\" is not a JSON object");
    }
    return new StoreDocument(root);
  }

  /** A change to the store, run under the lock on a fresh read. */
  @FunctionalInterface
  public interface Mutation<T> {
    T apply(StoreDocument doc) throws IOException;
  }

  /**
   * Locks, re-reads, applies {@code mutation}, and writes atomically if anything changed. Pending
   * legacy imports are persisted by the same write.
   */
  public <T> T update(Mutation<T> mutation) throws IOException, JsonFileException {
    AtomicFiles.createPrivateDirectories(file.getParent());
    try (StoreLock lock = StoreLock.acquire(file)) {
      // A writer killed mid-write leaves its temp file; under the lock none can be live.
      AtomicFiles.removeLeftovers(file);
      StoreDocument before = readFile();
      StoreDocument doc = before.copy();
      List<String> imported = legacy.apply(doc, clock.millis(), true);
      T result = mutation.apply(doc);
      if (!doc.equals(before) || !Files.exists(file)) {
        AtomicFiles.write(file, doc.toJson());
        legacy.afterPersist(imported);
      }
      return result;
    }
  }
}
