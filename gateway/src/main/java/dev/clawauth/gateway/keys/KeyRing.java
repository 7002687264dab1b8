package dev.clawauth.gateway.keys;

import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client keys as the running gateway checks them. The keys file is looked at (one stat) on
 * every check and read again when it changed, so a key created or revoked by the CLI counts from
 * the next request on. A file that stops parsing is reported once; the keys read before stay in use.
 */
public final class KeyRing {
  /** What a presented credential is: a valid key, a key refused with a reason, or no key at all. */
  public sealed interface Verdict {
    record Valid(ClientKey key) implements Verdict {}

    record Refused(String message) implements Verdict {}

    record Unknown() implements Verdict {}
  }

  private record Seen(Object fileKey, long size, long mtime) {
    static Seen of(BasicFileAttributes a) {
      return a == null ? new Seen(null, -1, 0) : new Seen(a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
    }
  }

  // Never compared or hashed as a whole: the hash is only read by MessageDigest.isEqual.
  @SuppressWarnings("ArrayRecordComponent")
  private record Entry(ClientKey key, byte[] hash) {}

  private final ClientKeys file;
  private final Clock clock;
  private final PrintStream log;
  private volatile List<Entry> entries = List.of();
  private Seen seen;
  private Seen reportedBroken;
  private String reportedUnreadable;
  private final AtomicBoolean unknownReported = new AtomicBoolean();

  public KeyRing(ClientKeys file, Clock clock, PrintStream log) {
    this.file = file;
    this.clock = clock;
    this.log = log;
    refresh();
  }

  /**
   * Checks {@code presented}: every key's hash is compared, each in constant time, so neither the
   * answer's timing nor its content tells how close a guess came.
   */
  public Verdict check(String presented) {
    refresh();
    if (presented == null || !presented.startsWith(ClientKeys.KEY_PREFIX)) {
      return new Verdict.Unknown();
    }
    byte[] hash = ClientKeys.digest(presented);
    Entry match = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(hash, e.hash()) && match == null) {
        match = e;
      }
    }
    if (match == null) {
      // The client is told no path of the gateway's machine; the operator finds it in the log.
      if (unknownReported.compareAndSet(false, true)) {
        log.println("gateway: refused a client key that is not in " + file.path() + " (was it created for"
            + " another state dir?).");
      }
      return new Verdict.Refused("Unknown client key: it is not among the gateway's keys (was it created for another"
          + " state dir?). Use a key of `clawauth gateway keys list`, or the gateway token.");
    }
    ClientKey k = match.key();
    if (k.revoked()) {
      return new Verdict.Refused("Client key " + k.name() + " was revoked. Ask for a new key (`clawauth gateway keys"
          + " create`).");
    }
    if (k.expiredAt(clock.millis())) {
      return new Verdict.Refused("Client key " + k.name() + " expired at " + java.time.Instant.ofEpochMilli(k.expiresAt())
          + ". Ask for a new key (`clawauth gateway keys create`).");
    }
    return new Verdict.Valid(k);
  }

  /** The keys as last read, revoked ones included. */
  public List<ClientKey> keys() {
    refresh();
    return entries.stream().map(Entry::key).toList();
  }

  private synchronized void refresh() {
    Seen now;
    try {
      now = Seen.of(attributes());
    } catch (IOException e) {
      return;
    }
    if (now.equals(seen)) {
      return;
    }
    try {
      entries = file.list().stream().map(k -> new Entry(k, k.hashBytes())).toList();
      seen = now;
      reportedBroken = null;
      reportedUnreadable = null;
    } catch (JsonFileException broken) {
      seen = now;
      if (!Objects.equals(reportedBroken, now)) {
        reportedBroken = now;
        log.println("gateway: " + broken.getMessage() + " The client keys read before stay in use until it is fixed.");
      }
    } catch (IOException e) {
      // Read again at the next check: the file was being replaced, or is unreadable for now; said once.
      if (!Objects.equals(reportedUnreadable, e.toString())) {
        reportedUnreadable = e.toString();
        log.println("gateway: could not read " + file.path() + ": " + e.getMessage());
      }
    }
  }

  private BasicFileAttributes attributes() throws IOException {
    try {
      return Files.readAttributes(file.path(), BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }
}
