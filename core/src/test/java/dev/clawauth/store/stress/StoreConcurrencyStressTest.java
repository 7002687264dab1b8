package dev.clawauth.store.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writer JVMs add profiles to one store at the same time through {@code FileStore.update},
 * with the real cross-process lock and its real 30 s stale time; none is lost.
 */
class StoreConcurrencyStressTest {
  static final int PER_WRITER = 200;

  @TempDir
  Path tmp;

  @Test
  void twoProcessesAddingConcurrentlyLoseNothing() throws Exception {
    Path store = tmp.resolve("agents/main/agent/auth-profiles.json");
    try (ChildJvm a = ChildJvm.start(List.of(), "add", store.toString(), "a", "" + PER_WRITER);
         ChildJvm b = ChildJvm.start(List.of(), "add", store.toString(), "b", "" + PER_WRITER)) {
      a.await("ready", 60_000);
      b.await("ready", 60_000);

      // A lock-free reader alongside: every read parses and never sees fewer profiles than before.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> readerFailure = new AtomicReference<>();
      AtomicInteger reads = new AtomicInteger();
      Thread reader = new Thread(() -> {
        int seen = 0;
        try {
          while (!stop.get()) {
            if (Files.exists(store)) {
              int n = StoreFiles.profileIds(store).size();
              assertThat(n).as("profiles seen by a reader").isGreaterThanOrEqualTo(seen);
              seen = n;
              reads.incrementAndGet();
            }
            Thread.sleep(2);
          }
        } catch (Throwable t) {
          readerFailure.set(t);
        }
      });
      reader.start();

      a.send("go");
      b.send("go");
      assertThat(a.waitFor(180_000)).as("writer a exit code; stderr: %s", a.stderr()).isZero();
      assertThat(b.waitFor(180_000)).as("writer b exit code; stderr: %s", b.stderr()).isZero();
      stop.set(true);
      reader.join();
      assertThat(readerFailure.get()).isNull();
      assertThat(reads.get()).isPositive();

      List<String> expected = new ArrayList<>(StoreFiles.committed(a.output()));
      expected.addAll(StoreFiles.committed(b.output()));
      assertThat(expected).hasSize(2 * PER_WRITER).doesNotHaveDuplicates();

      Set<String> ids = StoreFiles.profileIds(store);
      assertThat(ids).hasSize(2 * PER_WRITER).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(StoreFiles.lockDir(store)).doesNotExist();
      assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }
  }
}
