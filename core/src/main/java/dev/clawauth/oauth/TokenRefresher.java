package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Cooldowns;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refreshes OAuth profiles at use, one refresh per account at a time across threads and processes,
 * without ever losing a token.
 *
 * <ul>
 *   <li>A token with more than the margin (5 min plus this instance's random jitter of up to 60 s,
 *       so that many processes do not all refresh at the same moment) left is used as it is.</li>
 *   <li>Otherwise threads of this process asking for the same profile share one refresh (single
 *       flight), and the one that does it holds the profile's cross-process refresh lock
 *       ({@link CredentialStore#lockRefresh}) from re-reading the store, through the token request,
 *       to the write. If the re-read shows that another process refreshed meanwhile, its tokens are
 *       used and nothing is sent.</li>
 *   <li>The new refresh token replaces the old one in the same write, so a rotated token is never
 *       sent twice.</li>
 *   <li>A failure never blanks a credential. A transient one (network, timeout, 5xx, 429) while the
 *       stored access token is still valid returns that token and retries 30 s later; once the token
 *       has expired, a transient failure puts the profile in cooldown and keeps its tokens; a terminal one ({@code invalid_grant}, HTTP
 *       401/403) marks it as needing a new login, which {@code models status} shows with the command.</li>
 * </ul>
 *
 * <pre>{@code
 * try (TokenRefresher refresher = TokenRefresher.builder().build()) {
 *   Credential.OAuth c = refresher.ensureFresh(agent, "openai-codex:default");
 * }
 * }</pre>
 */
public final class TokenRefresher implements OAuthRefresher, AutoCloseable {
  public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(5);
  public static final Duration DEFAULT_JITTER = Duration.ofSeconds(60);

  /** Which plugin refreshes which provider. */
  private final LoginProviders providers;
  private final HttpClient http;
  /** Closed with this refresher only when it was made here. */
  private final boolean ownsHttp;
  /** Margin plus this instance's jitter: below this much time left a token is refreshed. */
  private final long marginMs;
  /** The refresh in flight per store and profile; followers wait for the leader's result. */
  private final ConcurrentHashMap<ProfileKey, CompletableFuture<RefreshResult>> inFlight = new ConcurrentHashMap<>();
  /** After a deferred refresh, no new attempt for the key before this time (epoch ms). */
  private final ConcurrentHashMap<ProfileKey, Long> retryAfter = new ConcurrentHashMap<>();

  /** A profile of one store: {@code location} is the store's {@link CredentialStore#location()}. */
  private record ProfileKey(String location, String profileId) {}
  /** Back-off after a transient failure while the stored token still works. */
  static final long RETRY_AFTER_MS = 30_000L;
  /** How long a refresh by OpenClaw may take before this instance gives up waiting for it. */
  private final Duration foreignWait;
  static final long FOREIGN_POLL_MS = 50;
  public static final Duration DEFAULT_FOREIGN_WAIT = Duration.ofSeconds(15);
  /** Token requests this instance sent, for metrics and tests. */
  private final AtomicLong refreshes = new AtomicLong();

  private TokenRefresher(Builder b) {
    this.providers = b.providers != null ? b.providers : LoginProviders.load();
    this.ownsHttp = b.http == null;
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    long jitter = b.jitter.toMillis() > 0 ? ThreadLocalRandom.current().nextLong(b.jitter.toMillis()) : 0;
    this.marginMs = b.margin.toMillis() + jitter;
    this.foreignWait = b.foreignWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TokenRefresher}; every setting has a sensible default. */
  public static final class Builder {
    private LoginProviders providers;
    private HttpClient http;
    private Duration margin = DEFAULT_MARGIN;
    private Duration jitter = DEFAULT_JITTER;
    private Duration foreignWait = DEFAULT_FOREIGN_WAIT;

    /** How long to wait for a refresh OpenClaw has claimed (its fence) to finish. */
    public Builder foreignWait(Duration wait) {
      this.foreignWait = wait;
      return this;
    }

    public Builder providers(LoginProviders providers) {
      this.providers = providers;
      return this;
    }

    public Builder httpClient(HttpClient http) {
      this.http = http;
      return this;
    }

    /** Refresh once less than this is left before {@code expires}. */
    public Builder margin(Duration margin) {
      this.margin = margin;
      return this;
    }

    /** Up to this much is added to the margin, chosen once per instance. */
    public Builder jitter(Duration jitter) {
      this.jitter = jitter;
      return this;
    }

    public TokenRefresher build() {
      return new TokenRefresher(this);
    }
  }

  /** The effective margin of this instance (margin plus its jitter), in ms. */
  public long marginMs() {
    return marginMs;
  }

  /** How many token requests this instance has sent. */
  public long refreshCount() {
    return refreshes.get();
  }

  @Override
  public Credential.OAuth ensureFresh(AgentContext agent, String profileId) throws IOException, RefreshException {
    return refresh(agent, profileId, false).credential();
  }

  /**
   * Makes the profile usable now; with {@code force} it is refreshed even when still fresh (an
   * operator's "renew now").
   */
  public RefreshResult refresh(AgentContext agent, String profileId, boolean force)
      throws IOException, RefreshException {
    Credential.OAuth seen = oauth(read(agent), profileId);
    if (seen.refreshPending()) {
      seen = awaitForeignRefresh(agent, profileId);
    }
    long now = agent.clock().millis();
    if (seen.needsRelogin() || seen.refresh().isEmpty()) {
      if (!force && usable(seen, now)) {
        return new RefreshResult(profileId, seen, RefreshResult.Outcome.FRESH);
      }
      throw reloginNeeded(agent, profileId, seen, seen.needsRelogin()
          ? "it needs a new login (" + seen.reloginReason() + ")" : "it has no refresh token");
    }
    if (!force && seen.expires() - now > marginMs) {
      return new RefreshResult(profileId, seen, RefreshResult.Outcome.FRESH);
    }
    ProfileKey key = new ProfileKey(agent.store().location(), profileId);
    if (!force && usable(seen, now) && retryAfter.getOrDefault(key, 0L) > now) {
      return new RefreshResult(profileId, seen, RefreshResult.Outcome.DEFERRED);
    }
    CompletableFuture<RefreshResult> mine = new CompletableFuture<>();
    CompletableFuture<RefreshResult> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      return await(leader, profileId);
    }
    try {
      RefreshResult r = refreshLocked(agent, profileId, seen, force);
      if (r.outcome() == RefreshResult.Outcome.DEFERRED) {
        retryAfter.put(key, agent.clock().millis() + RETRY_AFTER_MS);
      } else {
        retryAfter.remove(key);
      }
      mine.complete(r);
      return r;
    } catch (RefreshException | IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private static boolean usable(Credential.OAuth c, long now) {
    return !c.access().isEmpty() && c.expires() > now;
  }

  /** What happened under the lock; thrown only after the store was written. */
  private sealed interface Step permits Done, Failed, Send, Pending {}

  /** OpenClaw holds the profile's refresh token out of the store while it refreshes. */
  private record Pending() implements Step {}

  private record Done(RefreshResult result) implements Step {}

  private record Failed(RefreshException error) implements Step {}

  /** The token endpoint must be asked, with this stored credential's refresh token. */
  private record Send(Credential.OAuth current, OAuthProvider provider) implements Step {}

  /**
   * Under the profile's refresh lock: re-read, ask the token endpoint with no store transaction
   * open (a backend may hold a lock that other programs wait on only briefly), then write in one
   * short update. The refresh lock keeps every other refresher of the profile out meanwhile.
   */
  private RefreshResult refreshLocked(AgentContext agent, String profileId, Credential.OAuth seen, boolean force)
      throws IOException, RefreshException {
    Step step = agent.store().withRefreshLock(seen.provider(), profileId, () -> {
      Step decided = decide(agent, read(agent), profileId, seen, force);
      return decided instanceof Send send ? send(agent, profileId, send, force) : decided;
    });
    return switch (step) {
      case Done d -> d.result();
      case Failed f -> throw f.error();
      case Pending p -> new RefreshResult(profileId, awaitForeignRefresh(agent, profileId),
          RefreshResult.Outcome.REFRESHED_ELSEWHERE);
      case Send s -> throw new IllegalStateException("unreachable");
    };
  }

  /**
   * Waits, without the refresh lock (OpenClaw holds it only around its writes), for OpenClaw to put
   * new tokens where its refresh fence stands, polling the store as OpenClaw's own readers do.
   */
  private Credential.OAuth awaitForeignRefresh(AgentContext agent, String profileId)
      throws IOException, RefreshException {
    long deadline = System.nanoTime() + foreignWait.toNanos();
    while (true) {
      Credential.OAuth cur = oauth(read(agent), profileId);
      if (!cur.refreshPending()) {
        if (cur.needsRelogin()) {
          throw reloginNeeded(agent, profileId, cur, "it needs a new login (" + cur.reloginReason() + ")");
        }
        return cur;
      }
      if (System.nanoTime() > deadline) {
        throw new RefreshException(profileId, "OpenClaw started refreshing it and has not finished in "
            + foreignWait.toSeconds() + " s; if this lasts, its refresh was interrupted and the profile needs a new"
            + " login: `" + FixCommands.forRelogin(cur.provider(), profileId, agent.agentId()) + "`", false);
      }
      try {
        Thread.sleep(FOREIGN_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for OpenClaw's refresh of " + profileId, e);
      }
    }
  }

  private Step decide(AgentContext agent, StoreDocument doc, String profileId, Credential.OAuth seen,
      boolean force) {
    Credential.OAuth cur;
    try {
      cur = oauth(doc, profileId);
    } catch (RefreshException gone) {
      return new Failed(gone);
    }
    long now = agent.clock().millis();
    if (cur.needsRelogin()) {
      return new Failed(reloginNeeded(agent, profileId, cur, "it needs a new login (" + cur.reloginReason() + ")"));
    }
    if (cur.refreshPending()) {
      return new Pending();
    }
    boolean changed = !cur.refresh().matches(seen.refresh().value()) || !cur.access().matches(seen.access().value())
        || cur.expires() != seen.expires();
    if (changed && usable(cur, now)) {
      // Another process refreshed while we waited for the lock: its tokens are the current ones.
      return new Done(new RefreshResult(profileId, cur, RefreshResult.Outcome.REFRESHED_ELSEWHERE));
    }
    if (!force && cur.expires() - now > marginMs) {
      return new Done(new RefreshResult(profileId, cur, RefreshResult.Outcome.FRESH));
    }
    if (cur.refresh().isEmpty()) {
      return new Failed(reloginNeeded(agent, profileId, cur, "it has no refresh token"));
    }
    // OpenClaw 2026.9 stores Codex OAuth as provider openai: the Codex flow refreshes it.
    OAuthProvider provider = providers.refresher(CodexIds.oauthFlow(agent.era().kind(), cur.provider())).orElse(null);
    if (provider == null) {
      return new Failed(new RefreshException(profileId, "no installed login plugin can refresh "
          + cur.provider() + " tokens", true));
    }
    return new Send(cur, provider);
  }

  private Step send(AgentContext agent, String profileId, Send send, boolean force)
      throws IOException {
    Credential.OAuth cur = send.current();
    long now = agent.clock().millis();
    Credential.OAuth next;
    TokenEndpointException refused;
    try {
      refreshes.incrementAndGet();
      next = send.provider().refresh(agent, http, cur, now);
      refused = null;
    } catch (TokenEndpointException e) {
      next = null;
      refused = e;
    }
    Credential.OAuth obtained = next;
    TokenEndpointException error = refused;
    try {
      return agent.store().update(doc -> {
        Credential.OAuth stored;
        try {
          stored = oauth(doc, profileId);
        } catch (RefreshException gone) {
          // Removed while we asked: nothing to keep the answer for.
          return new Failed(gone);
        }
        if (!stored.refresh().matches(cur.refresh().value())) {
          // A new login replaced the grant meanwhile; it is newer than anything we obtained.
          return new Done(new RefreshResult(profileId, stored, RefreshResult.Outcome.REFRESHED_ELSEWHERE));
        }
        if (obtained != null) {
          doc.updateProfile(profileId, obtained);
          return new Done(new RefreshResult(profileId, obtained, RefreshResult.Outcome.REFRESHED));
        }
        return failed(agent, doc, profileId, cur, error, force, now);
      });
    } catch (JsonFileException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Step failed(AgentContext agent, StoreDocument doc, String profileId, Credential.OAuth cur,
      TokenEndpointException e, boolean force, long now) {
    if (e.terminal()) {
      String reason = e.error() != null ? e.error() : "HTTP " + e.status();
      doc.updateProfile(profileId, new Credential.OAuth(cur.provider(), cur.access(), cur.refresh(),
          cur.expires(), cur.accountId(), cur.email(), reason));
      return new Failed(new RefreshException(profileId, e.getMessage() + ". The refresh token was refused; log in again: `"
          + FixCommands.forRelogin(cur.provider(), profileId, agent.agentId()) + "`", true, e));
    }
    if (!force && usable(cur, now)) {
      // The stored token still works for a while: use it, and leave the profile selectable.
      return new Done(new RefreshResult(profileId, cur, RefreshResult.Outcome.DEFERRED));
    }
    long until = new Cooldowns(agent.config().cooldowns())
        .recordFailure(doc, cur.provider(), profileId, e.reason(), now);
    return new Failed(new RefreshException(profileId, e.getMessage()
        + ". The stored tokens are kept; the profile cools down for " + Durations.remaining(until - now)
        + " and is refreshed again after that", false, e));
  }

  private static RefreshException reloginNeeded(AgentContext agent, String profileId, Credential.OAuth c,
      String why) {
    return new RefreshException(profileId, "the access token has expired and " + why + "; log in again: `"
        + FixCommands.forRelogin(c.provider(), profileId, agent.agentId()) + "`", true);
  }

  private static StoreDocument read(AgentContext agent) throws IOException {
    try {
      return agent.store().read();
    } catch (JsonFileException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Credential.OAuth oauth(StoreDocument doc, String profileId) throws RefreshException {
    Credential c = doc.profile(profileId)
        .orElseThrow(() -> new RefreshException(profileId, "no such profile", true));
    if (!(c instanceof Credential.OAuth o)) {
      throw new RefreshException(profileId, "it is a " + c.type() + " profile, not OAuth; nothing to refresh", true);
    }
    return o;
  }

  private static RefreshResult await(CompletableFuture<RefreshResult> leader, String profileId)
      throws IOException, RefreshException {
    try {
      return leader.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the refresh of " + profileId, e);
    } catch (ExecutionException e) {
      // Rethrown as a new exception of the same kind, so the follower's own stack shows too.
      Throwable c = e.getCause();
      if (c instanceof RefreshException r) {
        throw new RefreshExceptionCopy(r);
      }
      if (c instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      if (c instanceof RuntimeException rt) {
        throw rt;
      }
      throw new IOException(c);
    }
  }

  /** A follower's copy of the leader's failure, with the same profile, message and terminal flag. */
  private static final class RefreshExceptionCopy extends RefreshException {
    RefreshExceptionCopy(RefreshException original) {
      super(original.profileId(), "", original.terminal(), original);
    }

    @Override
    public String getMessage() {
      return getCause().getMessage();
    }
  }

  @Override
  public void close() {
    if (ownsHttp) {
      http.close();
    }
  }
}
