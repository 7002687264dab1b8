package dev.clawauth.doctor;

import dev.clawauth.store.CredentialStore;
import java.nio.file.Path;

/** A change {@code doctor --fix} may make on its own: each is safe to apply and to apply twice. */
public sealed interface Repair {

  /** Set a secret file to 0600 or a directory to 0700. */
  record Chmod(Path path, boolean directory) implements Repair {}

  /** Remove a lock directory whose holder died ({@code <file>.lock} older than 30 s). */
  record RemoveStaleLock(Path lockDir) implements Repair {}

  /** Write legacy credentials that are only imported in memory into the store. */
  record PersistImports(CredentialStore store) implements Repair {}

  /** Remove ids that no agent holds from the config's {@code auth.order.<provider>}, keeping the file's text. */
  record DropConfigOrderEntries(java.util.List<String> providerKeys, java.util.Set<String> known) implements Repair {}

  /** Add {@code auth.profiles} entries for profiles a 2026.1 write dropped from the config. */
  record DeclareProfiles(java.util.Map<String, String[]> profiles) implements Repair {}

  /** Import a legacy auth-profiles.json into the SQLite store as OpenClaw 2026.9's doctor does. */
  record ImportLegacyJson(CredentialStore store, Path file, boolean shared) implements Repair {}

  /** Remove order entries naming missing profiles or profiles of another provider. */
  record DropOrderEntries(CredentialStore store, String provider) implements Repair {}
}
