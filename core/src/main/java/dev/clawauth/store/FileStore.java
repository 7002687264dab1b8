package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * One agent's auth-profiles.json. Reads take no lock (writes are atomic renames, so a reader sees
 * the old file or the new one); every change is a read-modify-write under {@link StoreLock}.
 * A file that does not parse is never written over.
 */
public final class FileStore implements CredentialStore {
  private final Path file;
  private final LegacyImport legacy;

  public FileStore(Path file, LegacyImport legacy) {
    this.file = file.toAbsolutePath().normalize();
    this.legacy = legacy;
  }

  public FileStore(Path file) {
    this(file, LegacyImport.none());
  }

  @Override
  public StoreKind kind() {
    return StoreKind.FILE;
  }

  @Override
  public Path path() {
    return file;
  }

  @Override
  public List<Path> files() {
    return List.of(file);
  }

  @Override
  public Optional<LegacyImport> legacyImport() {
    return Optional.of(legacy);
  }

  @Override
  public boolean exists() {
    return Files.exists(file);
  }

  /** The store as it is on disk, plus legacy credentials not yet imported (in memory only). */
  @Override
  public StoreDocument read() throws IOException, JsonFileException {
    StoreDocument doc = readStored();
    legacy.apply(doc, exists());
    return doc;
  }

  /** Only what the file holds. */
  @Override
  public StoreDocument readStored() throws IOException, JsonFileException {
    String text;
    try {
      text = AtomicFiles.read(file);
    } catch (NoSuchFileException missing) {
      return StoreDocument.empty();
    }
    return parse(file, text);
  }

  /** Ids that {@link #read()} shows but the file does not hold yet. */
  @Override
  public List<String> pendingImports() throws IOException, JsonFileException {
    return legacy.apply(readStored(), exists());
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

  /**
   * Locks, re-reads, applies {@code mutation}, and writes atomically if anything changed. Pending
   * legacy imports are persisted by the same write.
   */
  @Override
  public <T> T update(Mutation<T> mutation) throws IOException, JsonFileException {
    AtomicFiles.createPrivateDirectories(file.getParent());
    return StoreLock.holding(file, () -> {
      // A writer killed mid-write leaves its temp file; under the lock none can be live.
      AtomicFiles.removeLeftovers(file);
      StoreDocument before = readStored();
      StoreDocument doc = before.copy();
      List<String> imported = legacy.apply(doc, exists());
      T result = mutation.apply(doc);
      if (!doc.equals(before) || !Files.exists(file)) {
        AtomicFiles.write(file, doc.toJson(), AtomicFiles.strictJson(file));
        legacy.afterPersist(imported);
      }
      return result;
    });
  }

  /**
   * The store's own lock: 2026.1 refreshes under it, so holding it through the token request
   * excludes OpenClaw's refresh too.
   */
  @Override
  public RefreshLock lockRefresh(String provider, String profileId) throws IOException {
    AtomicFiles.createPrivateDirectories(file.getParent());
    StoreLock lock = StoreLock.acquire(file);
    return lock::close;
  }

  /** The file's identity, size and modification time: an atomic rename changes the first. */
  @Override
  public Object changeStamp() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      return FileStamp.MISSING;
    }
  }

  private record FileStamp(Object fileKey, long size, long mtime) {
    static final FileStamp MISSING = new FileStamp(null, -1, 0);
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
