package dev.clawauth.doctor;

import dev.clawauth.store.AuthStore;
import java.nio.file.Path;

/** A change {@code doctor --fix} may make on its own: each is safe to apply and to apply twice. */
public sealed interface Repair {

  /** Set a secret file to 0600 or a directory to 0700. */
  record Chmod(Path path, boolean directory) implements Repair {}

  /** Remove a lock directory whose holder died ({@code <file>.lock} older than 30 s). */
  record RemoveStaleLock(Path lockDir) implements Repair {}

  /** Write legacy credentials that are only imported in memory into the store. */
  record PersistImports(AuthStore store) implements Repair {}

  /** Remove order entries naming missing profiles or profiles of another provider. */
  record DropOrderEntries(AuthStore store, String provider) implements Repair {}
}
