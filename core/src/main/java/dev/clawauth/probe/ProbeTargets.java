package dev.clawauth.probe;

import dev.clawauth.env.EnvSources;
import dev.clawauth.env.EnvValue;
import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Picks the credentials a probe run covers: every stored profile, then every env credential. */
public final class ProbeTargets {
  private ProbeTargets() {}

  /**
   * The stored profiles of {@code doc} (by provider, then id), then the env credentials, of a file store.
   *
   * @param provider only this provider when non-null
   * @param profileIds only these profiles when non-empty (env credentials are then left out)
   */
  public static List<ProbeTarget> collect(StoreDocument doc, EnvSources env, long now, String provider,
      Collection<String> profileIds) {
    return collect(doc, env, now, provider, profileIds, StoreKind.FILE);
  }

  /** As above, for a store of this era (which says whether an {@code openai} OAuth profile is Codex). */
  public static List<ProbeTarget> collect(StoreDocument doc, EnvSources env, long now, String provider,
      Collection<String> profileIds, StoreKind era) {
    String onlyProvider = provider == null ? null : Providers.normalize(provider);
    List<ProbeTarget> out = new ArrayList<>();
    List<Map.Entry<String, Credential>> profiles = new ArrayList<>(doc.profiles().entrySet());
    profiles.sort(Comparator.comparing((Map.Entry<String, Credential> e) -> Providers.normalize(e.getValue().provider()))
        .thenComparing(Map.Entry::getKey));
    for (var e : profiles) {
      String p = Providers.normalize(e.getValue().provider());
      if ((onlyProvider != null && !onlyProvider.equals(p))
          || (!profileIds.isEmpty() && !profileIds.contains(e.getKey()))) {
        continue;
      }
      ProbeTarget t = fromProfile(e.getKey(), e.getValue(), now);
      if (t.skipReason() == null && !p.equals(CodexIds.CODEX) && CodexIds.isCodexOAuth(era, e.getValue())) {
        // A ChatGPT token sent to api.openai.com would fail and look like a broken credential.
        t = new ProbeTarget(t.provider(), t.profileId(), t.source(), t.kind(), t.secret(), t.accountId(),
            "ChatGPT (Codex) OAuth: its backend has no read-only request to probe");
      }
      out.add(t);
    }
    if (profileIds.isEmpty()) {
      for (String p : new TreeSet<>(ProviderEnvVars.all().keySet())) {
        if (onlyProvider != null && !onlyProvider.equals(p)) {
          continue;
        }
        Optional<EnvValue> v = env.forProvider(p);
        v.ifPresent(ev -> out.add(new ProbeTarget(p, null, ev.source(),
            ProviderEnvVars.isToken(ev.name()) ? "token" : "api_key", ev.value(), null, null)));
      }
    }
    return out;
  }

  private static ProbeTarget fromProfile(String id, Credential c, long now) {
    String p = Providers.normalize(c.provider());
    return switch (c) {
      case Credential.ApiKey k -> new ProbeTarget(p, id, "store", "api_key", k.key(), null,
          k.key().isEmpty() ? "the key is empty" : null);
      case Credential.Token t -> new ProbeTarget(p, id, "store", "token", t.token(), null,
          t.token().isEmpty() ? "the token is empty" : t.expiredAt(now) ? "the token has expired" : null);
      case Credential.OAuth o -> new ProbeTarget(p, id, "store", "oauth", o.access(), o.accountId(),
          o.needsRelogin() ? "needs a new login (" + o.reloginReason() + ")"
              : o.access().isEmpty() || o.expires() <= now
                  ? (o.canRefresh() ? "the access token has expired; it is refreshed on first use"
                      + " (a probe does not write the store)" : "the access token has expired")
                  : null);
    };
  }

  /** A target for a credential given directly (tests and embedding programs). */
  public static ProbeTarget of(String provider, String label, String kind, Secret secret) {
    return new ProbeTarget(Providers.normalize(provider), label, "store", kind, secret, null, null);
  }
}
