package dev.clawauth.gateway.keys;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Requests, errors and tokens per client key since the key was made, kept across restarts by the gateway's state file. */
public final class KeyUsage {
  /** One key's counts; {@code lastUsed} epoch milliseconds, 0 when never used. */
  public record Totals(long requests, long errors, long tokensIn, long tokensOut, long lastUsed) {
    public static final Totals NONE = new Totals(0, 0, 0, 0, 0);
  }

  private static final class Counts {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong tokensIn = new AtomicLong();
    final AtomicLong tokensOut = new AtomicLong();
    final AtomicLong lastUsed = new AtomicLong();

    Totals totals() {
      return new Totals(requests.get(), errors.get(), tokensIn.get(), tokensOut.get(), lastUsed.get());
    }
  }

  private final Map<String, Counts> byKey = new ConcurrentHashMap<>();

  /** Adds counts read back from the state file. */
  public void load(Map<String, Totals> saved) {
    saved.forEach((name, t) -> {
      Counts c = counts(name);
      c.requests.addAndGet(t.requests());
      c.errors.addAndGet(t.errors());
      c.tokensIn.addAndGet(t.tokensIn());
      c.tokensOut.addAndGet(t.tokensOut());
      c.lastUsed.accumulateAndGet(t.lastUsed(), Math::max);
    });
  }

  /** One request by key {@code name}, answered at {@code at}: an error if its status was 400 or above. */
  public void record(String name, boolean error, long tokensIn, long tokensOut, long at) {
    Counts c = counts(name);
    c.requests.incrementAndGet();
    if (error) {
      c.errors.incrementAndGet();
    }
    c.tokensIn.addAndGet(tokensIn);
    c.tokensOut.addAndGet(tokensOut);
    c.lastUsed.accumulateAndGet(at, Math::max);
  }

  private Counts counts(String name) {
    Counts c = byKey.get(name);
    return c != null ? c : byKey.computeIfAbsent(name, n -> new Counts());
  }

  /** Every key's counts, by name. */
  public Map<String, Totals> snapshot() {
    Map<String, Totals> out = new TreeMap<>();
    byKey.forEach((name, c) -> out.put(name, c.totals()));
    return out;
  }
}
