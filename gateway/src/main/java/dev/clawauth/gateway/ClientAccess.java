package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.gateway.http.LoopExchange;
import dev.clawauth.gateway.keys.ClientKey;
import dev.clawauth.gateway.keys.ClientKeys;
import dev.clawauth.gateway.keys.KeyRing;
import dev.clawauth.gateway.keys.KeyUsage;
import dev.clawauth.gateway.keys.UsageScanner;
import dev.clawauth.gateway.translate.TokenUsage;
import dev.clawauth.json.Json;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.Secret;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Who may call the gateway and what each caller may reach: the gateway token (the operator: any
 * agent, any model) or a client key (its own agent, its own models, its own {@code /model} scope),
 * with each key's usage counted from the answers it gets and kept, with the pins, in the
 * gateway's state file.
 */
final class ClientAccess {
  /**
   * A request's caller: {@code key} null for the gateway token. {@code agent} is the agent it
   * reaches; {@code status} and {@code refusal} are set when it is turned away.
   */
  record Who(ClientKey key, String agent, int status, String refusal) {}

  private final Secret token;
  private final KeyRing ring;
  private final KeyUsage usage = new KeyUsage();
  private final GatewayState state;
  private final Clock clock;

  ClientAccess(StatePaths paths, Secret token, Sessions sessions, Clock clock, PrintStream log) {
    this.token = token;
    this.clock = clock;
    this.ring = new KeyRing(new ClientKeys(ClientKeys.file(paths), clock), clock, log);
    this.state = new GatewayState(GatewayState.file(paths), sessions, usage, log);
    state.load(System.currentTimeMillis());
  }

  KeyUsage usage() {
    return usage;
  }

  /** The credential a request shows: x-api-key, else a bearer token. */
  private static String presented(LoopExchange ex) {
    String key = ex.requestHeaders().first("x-api-key");
    String auth = ex.requestHeaders().first("authorization");
    return key != null ? key.trim()
        : auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  /** Whether the request's head shows the gateway token or a usable key; {@code why} gets the refusal. */
  boolean admits(LoopExchange ex, StringBuilder why) {
    String shown = presented(ex);
    if (token.matches(shown)) {
      return true;
    }
    KeyRing.Verdict v = ring.check(shown);
    if (v instanceof KeyRing.Verdict.Refused r) {
      why.append(r.message());
    }
    return v instanceof KeyRing.Verdict.Valid;
  }

  /**
   * The caller of a request for agent {@code asked} (null: none named). A key may only reach its
   * own agent, and is checked again here: it may have been revoked since its head was admitted.
   */
  Who who(LoopExchange ex, String asked, String defaultAgent) {
    String shown = presented(ex);
    if (token.matches(shown)) {
      return new Who(null, asked == null ? defaultAgent : asked, 0, null);
    }
    KeyRing.Verdict v = ring.check(shown);
    if (!(v instanceof KeyRing.Verdict.Valid valid)) {
      return new Who(null, defaultAgent, 401, v instanceof KeyRing.Verdict.Refused r ? r.message()
          : "Missing or wrong gateway token. Send the token shown by `clawauth gateway token`, or a client key, as"
              + " x-api-key or Authorization: Bearer.");
    }
    ClientKey key = valid.key();
    if (asked != null && !asked.equals(key.agent())) {
      return new Who(key, key.agent(), 403, "Client key " + key.name() + " serves agent " + key.agent()
          + " only, not " + asked + ".");
    }
    return new Who(key, key.agent(), 0, null);
  }

  /** The refusal of {@code model} for the caller's key, or null when it may use it. */
  static String refusal(ClientKey key, ModelRef model) {
    if (key == null || model == null || key.allows(model.full())) {
      return null;
    }
    return "Model " + model.full() + " is not allowed for client key " + key.name() + "; it may use "
        + String.join(", ", key.models()) + ".";
  }

  /** Starts counting the tokens of a key's answer as it is written; null for the gateway token. */
  Meter meter(LoopExchange ex, Who who) {
    if (who.key() == null || who.refusal() != null) {
      return null;
    }
    Meter m = new Meter(ex);
    ex.tap(m);
    return m;
  }

  /** A request has ended with {@code status} (0: the client left first). */
  void ended(Who who, int status, Meter meter) {
    if (who.key() == null) {
      return;
    }
    TokenUsage t = meter == null ? TokenUsage.NONE : meter.tokens();
    usage.record(who.key().name(), status == 0 || status >= 400, t.input(), t.output(), clock.millis());
  }

  /** {@code /status}'s client keys: every key for the gateway token, only its own for a key. */
  ObjectNode status(ClientKey caller) {
    ObjectNode out = Json.object();
    Map<String, KeyUsage.Totals> counts = usage.snapshot();
    long now = clock.millis();
    for (ClientKey k : ring.keys()) {
      if (caller != null && !caller.name().equals(k.name())) {
        continue;
      }
      KeyUsage.Totals t = counts.getOrDefault(k.name(), KeyUsage.Totals.NONE);
      ObjectNode n = out.putObject(k.name());
      n.put("prefix", k.prefix());
      n.put("agent", k.agent());
      n.putPOJO("models", k.models());
      n.put("state", k.state(now));
      n.put("requests", t.requests());
      n.put("errors", t.errors());
      n.put("tokensIn", t.tokensIn());
      n.put("tokensOut", t.tokensOut());
      n.put("lastUsed", t.lastUsed() == 0 ? null : Instant.ofEpochMilli(t.lastUsed()).toString());
    }
    return out;
  }

  /** Persists pins and usage when they changed; the flush timer calls it. */
  void flush() {
    state.flush(System.currentTimeMillis());
  }

  /** Reads the usage out of a key's answer as it goes to the client. */
  static final class Meter implements LoopExchange.Tap {
    private final LoopExchange ex;
    private boolean decided;
    private UsageScanner scanner;
    private TokenUsage translated;

    Meter(LoopExchange ex) {
      this.ex = ex;
    }

    /**
     * The usage of a translated answer, as its translator read it from the upstream: a Chat
     * Completions stream carries it to the client only when the client asked for it.
     */
    void translated(TokenUsage usage) {
      translated = usage;
    }

    TokenUsage tokens() {
      return translated != null ? translated
          : scanner == null ? TokenUsage.NONE : new TokenUsage(scanner.tokensIn(), scanner.tokensOut());
    }

    @Override
    public void bytes(byte[] b, int off, int len) {
      if (!decided) {
        decided = true;
        scanner = ex.status() >= 400 ? null : UsageScanner.forContentType(ex.responseHeaders().first("content-type"));
      }
      if (scanner != null) {
        scanner.bytes(b, off, len);
      }
    }
  }
}
