package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.state.Environment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM for the cross-process tests: prints READY, waits for GO on stdin, then has
 * {@code threads} threads ask for the same profile at once. Each prints its outcome and a digest of
 * the access token it got (never the token).
 */
public final class RefreshWorker {
  private RefreshWorker() {}

  public static void main(String[] args) throws Exception {
    String profileId = args[0];
    int threads = Integer.parseInt(args[1]);
    AgentContext agent = AgentContext.open(Environment.system(), null, Clock.systemUTC());
    try (TokenRefresher refresher = TokenRefresher.builder().build()) {
      agent.store().read();
      System.out.println("READY");
      System.out.flush();
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"GO".equals(go)) {
        System.exit(3);
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          try {
            start.await();
            RefreshResult r = refresher.refresh(agent, profileId, false);
            line("OK " + r.outcome() + " " + digest(r.credential().access().value()));
          } catch (RefreshException e) {
            line("FAIL terminal=" + e.terminal() + " " + e.getMessage());
          } catch (Exception e) {
            line("FAIL " + e);
          }
        });
        t.start();
        all.add(t);
      }
      start.countDown();
      for (Thread t : all) {
        t.join();
      }
      line("DONE requests=" + refresher.refreshCount());
    }
  }

  private static synchronized void line(String s) {
    System.out.println(s);
    System.out.flush();
  }

  static String digest(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
  }
}
