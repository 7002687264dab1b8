package dev.clawauth.select;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered list of profiles that may serve a request to a provider
 * (spec: selection-and-cooldown.md, "The candidate list").
 */
public final class Candidates {
  private Candidates() {}

  /** Where the base list came from, for display. */
  public enum Source { STORE_ORDER, CONFIG_ORDER, CONFIG_PROFILES, ROUND_ROBIN }

  public record Result(Source source, List<String> ids, List<String> dropped) {}

  public static Result forProvider(String provider, StoreDocument doc, ClawConfig config, long now,
      String preferred) {
    String want = Providers.normalize(provider);
    Map<String, Credential> profiles = doc.profiles();
    Map<String, ClawConfig.ProfileDecl> decls = config.authProfiles();

    Source source;
    List<String> base;
    Optional<List<String>> storeOrder = doc.order(want);
    Optional<List<String>> configOrder = config.authOrder(want);
    if (storeOrder.isPresent()) {
      source = Source.STORE_ORDER;
      base = storeOrder.get();
    } else if (configOrder.isPresent()) {
      source = Source.CONFIG_ORDER;
      base = configOrder.get();
    } else {
      List<String> declared = decls.entrySet().stream()
          .filter(e -> Providers.normalize(e.getValue().provider()).equals(want))
          .map(Map.Entry::getKey).toList();
      if (!declared.isEmpty()) {
        source = Source.CONFIG_PROFILES;
        base = declared;
      } else {
        source = Source.ROUND_ROBIN;
        base = profiles.entrySet().stream()
            .filter(e -> Providers.normalize(e.getValue().provider()).equals(want))
            .map(Map.Entry::getKey).toList();
      }
    }

    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String raw : new LinkedHashSet<>(base)) {
      String id = raw.trim();
      Credential c = profiles.get(id);
      ClawConfig.ProfileDecl decl = decls.get(id);
      boolean ok = c != null && Providers.normalize(c.provider()).equals(want)
          && (decl == null || declMatches(decl, c, want)) && usableCredential(c, now);
      if (ok && !kept.contains(id)) {
        kept.add(id);
      } else if (!ok) {
        dropped.add(id);
      }
    }

    Comparator<String> soonestUsable = Comparator.comparingLong(id -> doc.usage(id).unusableUntil());
    List<String> usable = kept.stream().filter(id -> !doc.usage(id).unusableAt(now)).toList();
    List<String> cooling = kept.stream().filter(id -> doc.usage(id).unusableAt(now))
        .sorted(soonestUsable).toList();
    List<String> ordered = new ArrayList<>();
    if (source == Source.STORE_ORDER || source == Source.CONFIG_ORDER) {
      ordered.addAll(usable);
    } else {
      ordered.addAll(usable.stream().sorted(Comparator
          .comparingInt((String id) -> typeRank(profiles.get(id)))
          .thenComparingLong(id -> doc.usage(id).lastUsed())).toList());
    }
    ordered.addAll(cooling);
    if (preferred != null && ordered.remove(preferred)) {
      ordered.add(0, preferred);
    }
    return new Result(source, List.copyOf(ordered), List.copyOf(dropped));
  }

  private static boolean declMatches(ClawConfig.ProfileDecl decl, Credential c, String want) {
    if (!decl.provider().isBlank() && !Providers.normalize(decl.provider()).equals(want)) {
      return false;
    }
    String mode = decl.mode();
    return mode.isBlank() || mode.equals(c.type())
        || (mode.equals("oauth") && c instanceof Credential.Token);
  }

  /** False for credentials that cannot serve a request however long one waits. */
  public static boolean usableCredential(Credential c, long now) {
    return switch (c) {
      case Credential.ApiKey k -> !k.key().isEmpty();
      case Credential.Token t -> !t.token().isEmpty() && !t.expiredAt(now);
      case Credential.OAuth o -> o.canRefresh() || (!o.access().isEmpty() && o.expires() > now);
    };
  }

  private static int typeRank(Credential c) {
    return switch (c) {
      case Credential.OAuth o -> 0;
      case Credential.Token t -> 1;
      case Credential.ApiKey k -> 2;
    };
  }

  /** Whether {@code id} is unusable right now because of a cooldown or a billing disable. */
  public static boolean coolingDown(StoreDocument doc, String id, long now) {
    UsageStats u = doc.usage(id);
    return u.unusableAt(now);
  }
}
