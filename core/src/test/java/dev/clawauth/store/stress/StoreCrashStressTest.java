package dev.clawauth.store.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.store.StoreLock;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer JVM killed with SIGKILL at random moments never leaves a store that does not parse,
 * never loses a profile whose update had returned, and leaves at most one temp file behind (the
 * next writer removes it). The killed holder's lock directory stays behind and is recovered by
 * the stale rule, here shortened through {@link StoreLock#STALE_PROPERTY} so that 200 crashes do
 * not take 200 x 30 s; {@code StoreLockProcessTest} covers the real 30 s rule.
 */
class StoreCrashStressTest {
  static final int ITERATIONS = 200;
  /** Short stale time for the children: each crash while holding the lock costs about this much. */
  static final long STALE_MILLIS = 100;

  @TempDir
  Path tmp;

  @Test
  void killedWritersNeverCorruptTheStoreNorLoseCommittedProfiles() throws Exception {
    long seed = Long.getLong("clawauth.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path store = tmp.resolve("agents/main/agent/auth-profiles.json");
    Set<String> committed = new LinkedHashSet<>();
    int killedWhileLocked = 0;

    ChildJvm next = start(store, 0);
    ChildJvm current = null;
    try {
      for (int i = 0; i < ITERATIONS; i++) {
        String at = "iteration " + i + " (seed " + seed + ")";
        ChildJvm child = next;
        current = child;
        child.await("ready", 60_000);
        // The next writer boots while this one runs, but touches nothing before its "go".
        next = start(store, i + 1);
        child.send("go");
        if (random.nextInt(5) > 0) {
          // Mostly kill mid-stream, once it has recovered the lock and is writing...
          child.await("committed ", 60_000);
          Thread.sleep(random.nextInt(25));
        } else {
          // ...sometimes while it is still waiting for or recovering the previous crash's lock.
          Thread.sleep(random.nextInt(STALE_MILLIS > 0 ? (int) STALE_MILLIS * 2 : 1));
        }
        child.kill();
        committed.addAll(StoreFiles.committed(child.output()));
        if (StoreFiles.lockDir(store).toFile().exists()) {
          killedWhileLocked++;
        }

        if (store.toFile().exists()) {
          Set<String> ids = StoreFiles.profileIds(store);
          assertThat(ids).as("profiles after the kill in %s", at).containsAll(committed);
        } else {
          assertThat(committed).as("nothing committed yet, %s", at).isEmpty();
        }
        assertThat(StoreFiles.tempFiles(store)).as("temp files after %s", at).hasSizeLessThanOrEqualTo(1);
      }
    } catch (Throwable failed) {
      // Leave nothing running: the writer being tested, and the pre-started one waiting for "go".
      if (current != null) {
        current.kill();
      }
      next.kill();
      throw failed;
    }

    // A last writer that is not killed recovers the last lock, cleans up and exits.
    ChildJvm last = next;
    last.await("ready", 60_000);
    last.send("go");
    assertThat(last.waitFor(60_000)).as("last writer; stderr: %s", last.stderr()).isZero();
    committed.addAll(StoreFiles.committed(last.output()));

    Set<String> ids = StoreFiles.profileIds(store);
    assertThat(ids).containsAll(committed);
    // Only profiles the writers tried to add, and at most one uncommitted one per kill.
    assertThat(ids).allMatch(id -> id.startsWith("stress:c"));
    assertThat(ids.size() - committed.size()).isLessThanOrEqualTo(ITERATIONS);
    assertThat(committed.size()).as("profiles committed over all runs").isGreaterThan(ITERATIONS);
    assertThat(StoreFiles.tempFiles(store)).isEmpty();
    assertThat(StoreFiles.lockDir(store)).doesNotExist();
    // The point of the test is crashes while holding the lock; make sure they happened.
    assertThat(killedWhileLocked).as("kills that left the lock behind").isGreaterThan(ITERATIONS / 10);
  }

  private static ChildJvm start(Path store, int n) throws Exception {
    int count = n == ITERATIONS ? 3 : 0;
    return ChildJvm.start(List.of("-D" + StoreLock.STALE_PROPERTY + "=" + STALE_MILLIS),
        "add", store.toString(), "c" + n, "" + count);
  }
}
