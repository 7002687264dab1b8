package dev.clawauth.store.stress;

import dev.clawauth.store.FileStore;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for the store stress tests: a separate JVM that uses the real
 * {@link FileStore} and {@link StoreLock}. Reports on stdout, one line per event.
 *
 * <ul>
 *   <li>{@code add <store> <prefix> <count>}: prints {@code ready}, waits for a line on stdin,
 *       then adds profiles {@code <prefix>-0 ..} one {@link FileStore#update} each and prints
 *       {@code committed <id>} after each update returns ({@code count} 0 means until killed);
 *   <li>{@code hold <store>}: takes the lock, prints {@code locked}, releases it when a line
 *       arrives on stdin (or stdin closes) and prints {@code released}.
 * </ul>
 */
public final class StoreWriterMain {
  private StoreWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[1]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    switch (args[0]) {
      case "add" -> add(new FileStore(store), args[2], Integer.parseInt(args[3]), in);
      case "hold" -> hold(store, in);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void add(FileStore store, String prefix, int count, BufferedReader in) throws Exception {
    System.out.println("ready");
    System.out.flush();
    if (in.readLine() == null) {
      return; // The test is gone before it said "go": write nothing.
    }
    // An endless writer must not outlive the test that would have killed it.
    var parent = ProcessHandle.current().parent();
    for (int i = 0; count == 0 || i < count; i++) {
      if (parent.isPresent() && !parent.get().isAlive()) {
        return;
      }
      String id = "stress:" + prefix + "-" + i;
      Secret key = new Secret("sk-stress-FAKE-" + prefix + "-" + i + "-padpadpadpadpad");
      store.update(doc -> {
        doc.putProfile(id, new Credential.ApiKey("stress", key, null));
        return null;
      });
      System.out.println("committed " + id);
      System.out.flush();
    }
    System.out.println("done");
    System.out.flush();
  }

  private static void hold(Path store, BufferedReader in) throws Exception {
    try (StoreLock lock = StoreLock.acquire(store)) {
      System.out.println("locked " + lock.lockDir());
      System.out.flush();
      in.readLine();
    }
    System.out.println("released");
    System.out.flush();
  }
}
