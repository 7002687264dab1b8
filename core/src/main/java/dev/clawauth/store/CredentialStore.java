package dev.clawauth.store;

import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One agent's credentials as the runtime reads them: profiles, order overrides, last-good and usage
 * stats. Each backend keeps them where the program it shares a state directory with does
 * (OpenClaw 2026.1's {@code auth-profiles.json}, OpenClaw 2026.9's SQLite databases, ...), and
 * every change is a read-modify-write that that program's writers are excluded from.
 */
public interface CredentialStore {

  /** A change to the store, run on a fresh read while other writers are excluded. */
  @FunctionalInterface
  interface Mutation<T> {
    T apply(StoreDocument doc) throws IOException;
  }

  /** Held across one OAuth refresh: the re-read, the token request and the write. */
  interface RefreshLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /**
   * Runs {@code body} holding the profile's refresh lock ({@link #lockRefresh}), and releases the
   * lock however the body ends.
   */
  // The lock is held, never used: "try" warns that the body does not reference it.
  @SuppressWarnings("try")
  default <T, E extends Exception> T withRefreshLock(String provider, String profileId, LockedBody<T, E> body)
      throws IOException, E {
    try (RefreshLock lock = lockRefresh(provider, profileId)) {
      return body.run();
    }
  }

  StoreKind kind();

  /** The file the agent's credentials are read from (status shows it as {@code storePath}). */
  Path path();

  /**
   * Where the credentials are, as status shows it: the file, or a database's address (never with
   * its password).
   */
  default String location() {
    return path().toString();
  }

  /** Every file this store reads or writes, for permission and lock checks. */
  List<Path> files();

  /** Whether anything of this store exists yet. */
  boolean exists();

  /** The agent's view, including what a legacy file adds before it is imported. */
  StoreDocument read() throws IOException, JsonFileException;

  /** Only what the store holds. */
  StoreDocument readStored() throws IOException, JsonFileException;

  /** Ids {@link #read()} shows that the store does not hold yet. */
  List<String> pendingImports() throws IOException, JsonFileException;

  /**
   * Applies {@code mutation} to a fresh read, other writers excluded, and persists what changed.
   * The mutation must not wait on the network: a backend may hold a lock that other programs
   * wait on with a short timeout.
   */
  <T> T update(Mutation<T> mutation) throws IOException, JsonFileException;

  /**
   * Excludes every other refresh of this profile, in this process and in the programs that share
   * the store, until closed. {@link #update} may be called while it is held.
   */
  RefreshLock lockRefresh(String provider, String profileId) throws IOException;

  /**
   * A value that changes whenever {@link #read()} may return something else, cheap enough to ask
   * once per request.
   */
  Object changeStamp() throws IOException;

  /**
   * Why the store can be neither read afresh nor written now (a database that is down), or empty
   * when it can. Answered from memory: never waits on the network.
   */
  default Optional<String> unavailable() {
    return Optional.empty();
  }

  /** Where profile {@code id} is kept, in words for a confirmation or a report. */
  default String holderOf(String id) {
    return path().toString();
  }

  /** The 2026.1 import of older files, where this store does it. */
  default Optional<LegacyImport> legacyImport() {
    return Optional.empty();
  }
}
