package dev.clawauth.cli.interop;

import dev.clawauth.store.StoreLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate JVM that holds Clawauth's lock on a store: prints {@code locked}, releases when a
 * line arrives on stdin (or stdin closes), then prints {@code released}.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (StoreLock lock = StoreLock.acquire(Path.of(args[0]))) {
      System.out.println("locked");
      System.out.flush();
      in.readLine();
    }
    System.out.println("released");
    System.out.flush();
  }
}
