package dev.clawauth.gateway;

import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Candidates;
import dev.clawauth.select.Cooldowns;
import dev.clawauth.select.FailureReason;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreUnavailableException;
import dev.clawauth.store.UsageStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One agent as the gateway sees it: its context, the store as last read (re-read when the file's
 * identity, size or mtime changes, so CLI edits apply to the next request), and outcomes recorded
 * in memory that the flusher has not written yet.
 */
final class AgentState {
  /** A success or failure of a profile, waiting to be written under the store lock. */
  record Outcome(String provider, String profileId, FailureReason reason, long at, long retryAfterMs) {}

  /**
   * The store as one request sees it. {@code generation} changes whenever anything selection
   * depends on may have changed (the file re-read, a failure, a success that cleared one); a plain
   * success only moves {@code lastUsed} and keeps it.
   */
  record Snapshot(StoreDocument doc, Object stamp, long generation) {}

  /** A candidate list, reusable while nothing it depends on has changed. */
  private record CachedCandidates(long generation, long validUntil, Candidates.Result result) {}

  /** A provider's candidate list for a preferred profile ({@code ""} for none). */
  private record CandidateKey(String provider, String preferred) {}

  /** The store file as it was when it did not parse ({@code stamp}), and why. */
  private record Corrupt(Object stamp, JsonFileException error) {}

  private volatile AgentContext ctx;
  /**
   * Set while the store does not parse: requests are served from the last good snapshot, and
   * nothing is written (a write would replace the file the user must repair).
   */
  private volatile Corrupt corrupt;
  private volatile Cooldowns cooldowns;
  private volatile Snapshot snapshot;
  private List<Outcome> pending = new ArrayList<>();
  private final AtomicLong generations = new AtomicLong();
  private final Map<CandidateKey, CachedCandidates> candidateCache = new ConcurrentHashMap<>();
  /**
   * Providers whose last selection did not depend on {@code lastUsed} (an explicit order, or at
   * most one usable profile): their plain successes need not update the snapshot at once.
   */
  private final Map<String, Boolean> orderIgnoresLastUse = new ConcurrentHashMap<>();

  /** The config last given to {@link #useConfig} (or the first one), taken or not. */
  private volatile ClawConfig offered;

  /** Asks for this agent's pending outcomes to be written soon, off the request's thread. */
  private final java.util.function.Consumer<AgentState> flushSoon;
  /** When the last write of outcomes began, or this agent was opened (System.nanoTime). */
  private volatile long lastFlush = System.nanoTime();

  AgentState(AgentContext ctx) {
    this(ctx, a -> { });
  }

  AgentState(AgentContext ctx, java.util.function.Consumer<AgentState> flushSoon) {
    this.flushSoon = flushSoon;
    this.ctx = ctx;
    this.offered = ctx.config();
    this.cooldowns = new Cooldowns(ctx.config().cooldowns());
  }

  AgentContext ctx() {
    return ctx;
  }

  ClawConfig offered() {
    return offered;
  }

  /**
   * Uses an edited config from the next request on. Cached candidate lists are dropped, since an
   * order or a cooldown rule may have changed. Returns false, keeping the old config, when the edit
   * moves this agent's directory: its store and unwritten usage stats stay where they are until a
   * restart.
   */
  synchronized boolean useConfig(ClawConfig config) {
    if (config == offered) {
      return ctx.config() == config;
    }
    offered = config;
    var fresh = ctx.withConfig(config);
    if (fresh.isEmpty()) {
      return false;
    }
    ctx = fresh.get();
    cooldowns = new Cooldowns(config.cooldowns());
    candidateCache.clear();
    orderIgnoresLastUse.clear();
    // A new generation, so that a list computed under the old config meanwhile is not reused.
    Snapshot s = snapshot;
    if (s != null) {
      snapshot = new Snapshot(s.doc(), s.stamp(), generations.incrementAndGet());
    }
    return true;
  }

  /** The current store, with unflushed outcomes applied. */
  StoreDocument doc() throws IOException, JsonFileException {
    return snapshot().doc();
  }

  /**
   * The current store and its generation: one cheap change check per call when nothing changed
   * (a stat of the file, or SQLite's data version), so an edit by the CLI or OpenClaw is used
   * from the next request on. Callers take one per request.
   */
  Snapshot snapshot() throws IOException, JsonFileException {
    Snapshot s = snapshot;
    Object stamp = ctx.store().changeStamp();
    if (s != null && s.stamp().equals(stamp)) {
      return s;
    }
    Corrupt c = corrupt;
    if (c != null && c.stamp().equals(stamp)) {
      // The same broken file as before: not parsed again per request.
      if (s == null) {
        throw c.error();
      }
      return s;
    }
    synchronized (this) {
      // Requests that saw the same change while another thread re-read it use that reading (the
      // snapshot this call started from cannot match: its stamp was just found to differ).
      Snapshot current = snapshot;
      if (current != null && current.stamp().equals(stamp)) {
        return current;
      }
      try {
        return reload(stamp);
      } catch (StoreUnavailableException down) {
        // A database that is down: the last pool read stays in use, read-only, with the outcomes
        // recorded since; the stamp is kept, so the next request reads again once it is back.
        if (current == null) {
          throw down;
        }
        return current;
      } catch (JsonFileException broken) {
        // A file that no longer parses: as for a database that is down, the last good reading
        // serves, read-only, until the file changes again.
        corrupt = new Corrupt(stamp, broken);
        if (current == null) {
          throw broken;
        }
        return current;
      }
    }
  }

  /** Why the store cannot be read now (file:line:col and what to do), if it cannot. */
  java.util.Optional<String> corruption() {
    Corrupt c = corrupt;
    if (c == null) {
      return java.util.Optional.empty();
    }
    String m = c.error().getMessage();
    return java.util.Optional.of(m.endsWith(".") ? m.substring(0, m.length() - 1) : m);
  }

  /** Looks at the store for a change (as a request would), so that health sees a corruption without one. */
  void look() {
    try {
      snapshot();
    } catch (IOException | JsonFileException | RuntimeException e) {
      // told through corruption() or the store's unavailable(); a request gets the error itself
    }
  }

  /** Reads the store (whose stamp, taken before, is {@code stamp}) and applies what is pending. */
  private synchronized Snapshot reload(Object stamp) throws IOException, JsonFileException {
    StoreDocument doc = ctx.store().read();
    for (Outcome o : pending) {
      apply(doc, o);
    }
    Snapshot fresh = new Snapshot(doc, stamp, generations.incrementAndGet());
    snapshot = fresh;
    corrupt = null;
    return fresh;
  }

  /**
   * Records an outcome: visible to selection at once, persisted by the next flush. A plain success
   * for a provider whose order ignores {@code lastUsed} only waits for the flush: copying the
   * store for it would cost more than the rest of the request.
   */
  synchronized void record(Outcome o) {
    pending.add(o);
    if (o.reason() != null) {
      // Other hosts sharing the store honour a cooldown only once it is written.
      flushSoon.accept(this);
    }
    Snapshot s = snapshot;
    if (s == null) {
      return;
    }
    UsageStats before = s.doc.usage(o.profileId());
    boolean selectionChanges = o.reason() != null || before.errorCount() > 0 || before.unusableUntil() > 0;
    if (!selectionChanges && Boolean.TRUE.equals(orderIgnoresLastUse.get(o.provider()))) {
      return;
    }
    StoreDocument copy = s.doc.copy();
    apply(copy, o);
    snapshot = new Snapshot(copy, s.stamp, selectionChanges ? generations.incrementAndGet() : s.generation);
  }

  /**
   * {@link Candidates#forProvider} for this agent's current store, reused between requests while
   * valid: same generation, before the next cooldown end or token expiry, and only when the order
   * does not depend on {@code lastUsed} (an explicit order, or at most one usable profile).
   */
  Candidates.Result candidates(Snapshot s, String provider, long now, String preferred) {
    StoreDocument doc = s.doc();
    CandidateKey key = new CandidateKey(provider, preferred == null ? "" : preferred);
    CachedCandidates c = candidateCache.get(key);
    if (c != null && c.generation() == s.generation() && now < c.validUntil()) {
      return c.result();
    }
    Candidates.Result r = Candidates.forProvider(provider, doc, ctx.config(), now, preferred);
    long usable = r.ids().stream().filter(id -> !doc.usage(id).unusableAt(now)).count();
    boolean orderFixed = r.source() == Candidates.Source.STORE_ORDER || r.source() == Candidates.Source.CONFIG_ORDER;
    orderIgnoresLastUse.put(provider, orderFixed || usable <= 1);
    if (orderFixed || usable <= 1) {
      candidateCache.put(key, new CachedCandidates(s.generation(), validUntil(provider, doc, now), r));
    }
    return r;
  }

  /** The next moment a profile of {@code provider} changes state by itself (cooldown end, expiry). */
  private static long validUntil(String provider, StoreDocument doc, long now) {
    long until = now + 1_000;
    String want = Providers.normalize(provider);
    for (var e : doc.profiles().entrySet()) {
      if (!Providers.normalize(e.getValue().provider()).equals(want)) {
        continue;
      }
      long end = doc.usage(e.getKey()).unusableUntil();
      if (end > now) {
        until = Math.min(until, end);
      }
      long expires = switch (e.getValue()) {
        case Credential.Token t -> t.expires();
        case Credential.OAuth o -> o.expires();
        case Credential.ApiKey k -> 0;
      };
      if (expires > now) {
        until = Math.min(until, expires);
      }
    }
    return until;
  }

  private void apply(StoreDocument doc, Outcome o) {
    if (!doc.hasProfileId(o.profileId())) {
      return;
    }
    if (o.reason() == null) {
      cooldowns.recordSuccess(doc, o.provider(), o.profileId(), o.at());
    } else {
      long until = cooldowns.recordFailure(doc, o.provider(), o.profileId(), o.reason(), o.at());
      // A provider's retry-after is the better estimate when it asks for longer than the ladder.
      long asked = o.retryAfterMs() > 0 ? o.at() + o.retryAfterMs() : 0;
      if (asked > until) {
        doc.usageNode(o.profileId()).put("cooldownUntil", asked);
      }
    }
  }

  /** Writes pending outcomes under the store lock; keeps them for the next try when that fails. */
  void flush() throws IOException, JsonFileException {
    List<Outcome> batch;
    synchronized (this) {
      if (pending.isEmpty() || corrupt != null) {
        // A store that does not parse is never written: the outcomes wait until it is repaired.
        return;
      }
      batch = pending;
      pending = new ArrayList<>();
      lastFlush = System.nanoTime();
    }
    try {
      ctx.store().update(doc -> {
        for (Outcome o : coalesce(batch)) {
          apply(doc, o);
        }
        return null;
      });
    } catch (IOException | JsonFileException | RuntimeException e) {
      synchronized (this) {
        batch.addAll(pending);
        // Kept small while the store cannot be written: successes only need their latest.
        pending = new ArrayList<>(coalesce(batch));
      }
      if (e instanceof JsonFileException broken) {
        // Found broken by the write's own read (which then writes nothing): told by the health check.
        corrupt = new Corrupt(ctx.store().changeStamp(), broken);
        return;
      }
      throw e;
    }
    // The flusher reads its own write back, so that requests do not each stop to do it.
    try {
      reload(ctx.store().changeStamp());
    } catch (IOException | JsonFileException | RuntimeException e) {
      synchronized (this) {
        snapshot = null;
      }
    }
  }

  /** Successes only need their latest time per profile; failures all count. */
  private static List<Outcome> coalesce(List<Outcome> batch) {
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Outcome o = batch.get(i);
      if (o.reason() == null) {
        boolean later = false;
        for (int j = i + 1; j < batch.size(); j++) {
          if (batch.get(j).profileId().equals(o.profileId()) && batch.get(j).reason() == null) {
            later = true;
            break;
          }
        }
        if (later) {
          continue;
        }
      }
      out.add(o);
    }
    return out;
  }

  /** Whether the last write of outcomes began at least {@code spacing} ago. */
  boolean mayFlush(java.time.Duration spacing) {
    return System.nanoTime() - lastFlush >= spacing.toNanos();
  }

  synchronized boolean hasPending() {
    return !pending.isEmpty();
  }
}
