package dev.clawauth.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.EnvRefs;
import dev.clawauth.env.EnvSources;
import dev.clawauth.env.EnvValue;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Candidates;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code models status --json} document: the 2026.1 field names, plus Clawauth's additions
 * ({@code agentId}, per-profile {@code renews}/{@code needsRelogin}, and {@code auth.check}, the
 * verdict of {@code --check}). Builds from files only; writes nothing.
 */
public final class StatusReport {
  /** Below this much time left a credential counts as expiring. */
  public static final long WARN_AFTER_MS = 86_400_000L;

  private StatusReport() {}

  public static ObjectNode build(AgentContext agent) throws IOException, JsonFileException {
    StoreDocument doc = agent.store().read();
    List<String> pending = agent.store().pendingImports();
    return build(agent, doc, pending, agent.env(), agent.clock().millis());
  }

  public static ObjectNode build(AgentContext agent, StoreDocument doc, List<String> pending,
      EnvSources env, long now) {
    ClawConfig config = agent.config();
    String agentId = agent.agentId();
    String storePath = agent.store().location();

    ObjectNode root = Json.object();
    root.put("configPath", config.path().toString());
    root.put("agentId", agentId);
    root.put("agentDir", agent.agentDir().toString());
    String defaultModel = config.defaultModel(agentId);
    root.put("defaultModel", defaultModel);
    root.put("resolvedDefault", config.resolveModel(defaultModel));
    strings(root.putArray("fallbacks"), config.fallbacks(agentId));
    Optional<String> image = config.imageModel(agentId);
    if (image.isPresent()) {
      root.put("imageModel", image.get());
    } else {
      root.putNull("imageModel");
    }
    strings(root.putArray("imageFallbacks"), config.imageFallbacks(agentId));
    ObjectNode aliases = root.putObject("aliases");
    config.aliases().forEach(aliases::put);
    strings(root.putArray("allowed"), config.allowedModels());

    ObjectNode auth = root.putObject("auth");
    auth.put("storePath", storePath);
    auth.put("storeKind", switch (agent.store().kind()) {
      case FILE -> "file";
      case SQLITE -> "sqlite";
      case POSTGRES -> "postgres";
    });
    ObjectNode shell = auth.putObject("shellEnvFallback");
    shell.put("enabled", env.shellEnabled());
    strings(shell.putArray("appliedKeys"), env.shellApplied());

    Map<String, Credential> profiles = doc.profiles();
    Map<String, List<String>> byProvider = new LinkedHashMap<>();
    profiles.forEach((id, c) -> byProvider.computeIfAbsent(Providers.normalize(c.provider()),
        k -> new ArrayList<>()).add(id));
    List<String> inUse = config.providersInUse(agentId);

    TreeSet<String> listed = new TreeSet<>(byProvider.keySet());
    for (String p : new TreeSet<>(dev.clawauth.env.ProviderEnvVars.all().keySet())) {
      if (env.forProvider(p).isPresent()) {
        listed.add(p);
      }
    }
    // A provider's own key in the config is used last, as OpenClaw lists it ("models.json").
    Map<String, String> configKeys = new LinkedHashMap<>();
    for (String p : config.configuredProviders()) {
      EnvRefs.providerApiKey(config, p, env::value)
          .flatMap(EnvRefs.Resolved::asOptional).ifPresent(k -> configKeys.put(p, new Secret(k).masked()));
    }
    listed.addAll(configKeys.keySet());

    ArrayNode withOAuth = auth.putArray("providersWithOAuth");
    for (String p : new TreeSet<>(byProvider.keySet())) {
      long n = byProvider.get(p).stream().filter(id -> !(profiles.get(id) instanceof Credential.ApiKey)).count();
      if (n > 0) {
        withOAuth.add(p + " (" + n + ")");
      }
    }
    ArrayNode missing = auth.putArray("missingProvidersInUse");
    for (String p : inUse) {
      if (!byProvider.containsKey(p) && env.forProvider(p).isEmpty() && !configKeys.containsKey(p)) {
        missing.add(p);
      }
    }

    ArrayNode providers = auth.putArray("providers");
    for (String p : listed) {
      List<String> ids = byProvider.getOrDefault(p, List.of());
      ObjectNode pn = providers.addObject();
      pn.put("provider", p);
      Optional<EnvValue> ev = env.forProvider(p);
      ObjectNode eff = pn.putObject("effective");
      if (!ids.isEmpty()) {
        eff.put("kind", "profiles");
        // Where the provider's profiles were read: the agent's own database only when it holds one.
        List<java.nio.file.Path> from = ids.stream().map(doc::origin).flatMap(Optional::stream).distinct().toList();
        eff.put("detail", from.isEmpty() ? storePath
            : from.contains(agent.store().path()) ? storePath : from.getFirst().toString());
      } else if (ev.isPresent() || !configKeys.containsKey(p)) {
        eff.put("kind", "env");
        eff.put("detail", ev.map(v -> v.value().masked()).orElse("missing"));
      } else {
        eff.put("kind", "models.json");
        eff.put("detail", configKeys.get(p));
      }
      ObjectNode counts = pn.putObject("profiles");
      counts.put("count", ids.size());
      counts.put("oauth", ids.stream().filter(id -> profiles.get(id) instanceof Credential.OAuth).count());
      counts.put("token", ids.stream().filter(id -> profiles.get(id) instanceof Credential.Token).count());
      counts.put("apiKey", ids.stream().filter(id -> profiles.get(id) instanceof Credential.ApiKey).count());
      ArrayNode labels = counts.putArray("labels");
      for (String id : ids) {
        labels.add(id + "=" + label(profiles.get(id)) + suffix(doc.usage(id), now));
      }
      ev.ifPresent(v -> {
        ObjectNode en = pn.putObject("env");
        en.put("value", v.value().masked());
        en.put("source", v.source());
      });
      if (configKeys.containsKey(p)) {
        ObjectNode mj = pn.putObject("modelsJson");
        mj.put("value", configKeys.get(p));
        mj.put("source", "models.providers." + p + ".apiKey in " + config.path());
      }
    }

    ArrayNode unusable = auth.putArray("unusableProfiles");
    for (String p : new TreeSet<>(byProvider.keySet())) {
      for (String id : byProvider.get(p)) {
        UsageStats u = doc.usage(id);
        if (!u.unusableAt(now)) {
          continue;
        }
        ObjectNode un = unusable.addObject();
        un.put("profileId", id);
        un.put("provider", p);
        boolean disabled = u.disabledUntil() > now && u.disabledUntil() >= u.cooldownUntil();
        un.put("kind", disabled ? "disabled" : "cooldown");
        if (disabled && u.disabledReason() != null) {
          un.put("reason", u.disabledReason());
        }
        if (FixCommands.setupTokenRejected(profiles.get(id), u)) {
          // A refused token does not come back when the cooldown ends.
          un.put("fix", FixCommands.forRejectedSetupToken(id, agentId));
        }
        un.put("until", u.unusableUntil());
        un.put("remainingMs", u.unusableUntil() - now);
      }
    }

    ObjectNode oauth = auth.putObject("oauth");
    oauth.put("warnAfterMs", WARN_AFTER_MS);
    ArrayNode allProfiles = oauth.putArray("profiles");
    Map<String, ObjectNode> health = new LinkedHashMap<>();
    for (String id : new TreeSet<>(profiles.keySet())) {
      ObjectNode h = health(id, profiles.get(id), doc.usage(id), pending.contains(id), now, agentId);
      health.put(id, h);
      allProfiles.add(h);
    }
    ArrayNode oauthProviders = oauth.putArray("providers");
    TreeSet<String> rollup = new TreeSet<>(byProvider.keySet());
    rollup.addAll(inUse);
    for (String p : rollup) {
      ObjectNode pn = oauthProviders.addObject();
      pn.put("provider", p);
      List<String> ids = new ArrayList<>(byProvider.getOrDefault(p, List.of()));
      ids.sort(null);
      pn.put("status", rollupStatus(ids.stream().map(health::get).toList()));
      ArrayNode list = pn.putArray("profiles");
      long earliest = Long.MAX_VALUE;
      for (String id : ids) {
        ObjectNode h = health.get(id);
        list.add(h);
        if (h.has("expiresAt") && !(profiles.get(id) instanceof Credential.ApiKey)) {
          earliest = Math.min(earliest, h.get("expiresAt").asLong());
        }
      }
      if (earliest != Long.MAX_VALUE) {
        pn.put("expiresAt", earliest);
        pn.put("remainingMs", earliest - now);
      }
    }

    auth.set("check", check(agent, doc, env, inUse, now));
    return root;
  }

  private static ObjectNode health(String id, Credential c, UsageStats usage, boolean pending, long now,
      String agentId) {
    ObjectNode h = Json.object();
    h.put("profileId", id);
    h.put("provider", Providers.normalize(c.provider()));
    h.put("type", c.type());
    long expires = switch (c) {
      case Credential.Token t -> t.expires();
      case Credential.OAuth o -> o.expires();
      case Credential.ApiKey k -> 0;
    };
    String status;
    if (c instanceof Credential.ApiKey) {
      status = "static";
    } else if (expires <= 0) {
      status = c instanceof Credential.OAuth ? "missing" : "static";
    } else if (expires <= now) {
      status = "expired";
    } else if (expires - now <= WARN_AFTER_MS) {
      status = "expiring";
    } else {
      status = "ok";
    }
    h.put("status", status);
    if (expires > 0) {
      h.put("expiresAt", expires);
      h.put("remainingMs", expires - now);
    }
    h.put("source", pending ? "legacy import (pending)" : "store");
    h.put("label", c.email() == null ? id : id + " (" + c.email() + ")");
    if (FixCommands.setupTokenRejected(c, usage)) {
      h.put("rejected", true);
      h.put("rejectedReason", "auth");
      h.put("fix", FixCommands.forRejectedSetupToken(id, agentId));
    }
    if (c instanceof Credential.OAuth o) {
      h.put("renews", o.canRefresh());
      if (o.refreshPending()) {
        h.put("refreshPending", true);
        h.put("fix", FixCommands.forRelogin(o.provider(), id, agentId));
      }
      if (o.needsRelogin()) {
        h.put("needsRelogin", true);
        h.put("reloginReason", o.reloginReason());
        h.put("fix", FixCommands.forRelogin(o.provider(), id, agentId));
      }
    }
    return h;
  }

  private static String rollupStatus(List<ObjectNode> hs) {
    if (hs.isEmpty()) {
      return "missing";
    }
    List<String> timed = hs.stream().filter(h -> !h.path("type").asText().equals("api_key"))
        .map(h -> h.path("status").asText()).filter(s -> !s.equals("static")).toList();
    if (timed.isEmpty()) {
      return hs.stream().allMatch(h -> h.path("type").asText().equals("api_key")) ? "static" : "ok";
    }
    if (timed.contains("expired") || timed.contains("missing")) {
      return "expired";
    }
    return timed.contains("expiring") ? "expiring" : "ok";
  }

  /** Label of a profile in the provider line: masked key, masked token, or OAuth (email). */
  public static String label(Credential c) {
    return switch (c) {
      case Credential.ApiKey k -> k.key().masked();
      case Credential.Token t -> "token:" + t.token().masked();
      case Credential.OAuth o -> o.email() == null ? "OAuth" : "OAuth (" + o.email() + ")";
    };
  }

  private static String suffix(UsageStats u, long now) {
    if (u.disabledUntil() > now) {
      return " [disabled:" + (u.disabledReason() == null ? "unknown" : u.disabledReason()) + " "
          + Durations.remaining(u.disabledUntil() - now) + "]";
    }
    if (u.cooldownUntil() > now) {
      return " [cooldown " + Durations.remaining(u.cooldownUntil() - now) + "]";
    }
    return "";
  }

  /**
   * The {@code --check} verdict (spec README, item 7): 1 when a provider in use has no usable
   * credential, 2 when one of its credentials is expired, needs a new login or expires within 24 h
   * without being able to renew itself, else 0. Cooldowns do not count: they end by themselves.
   */
  static ObjectNode check(AgentContext agent, StoreDocument doc, EnvSources env, List<String> inUse,
      long now) {
    int code = 0;
    ArrayNode problems = Json.NODES.arrayNode();
    Map<String, Credential> profiles = doc.profiles();
    for (String p : inUse) {
      Candidates.Result cands = Candidates.forProvider(p, doc, agent.config(), now, null);
      Optional<EnvRefs.Resolved> configKey =
          EnvRefs.providerApiKey(agent.config(), p, env::value);
      boolean usable = !cands.ids().isEmpty() || env.forProvider(p).isPresent()
          || configKey.map(EnvRefs.Resolved::ok).orElse(false);
      if (!usable) {
        code = 1;
        ObjectNode pr = problems.addObject();
        pr.put("provider", p);
        pr.put("severity", "missing");
        if (orderExcludes(pr, cands, doc, agent, p, now)) {
          continue;
        }
        pr.put("message", profiles.values().stream().anyMatch(c -> Providers.same(c.provider(), p))
            ? "no usable credential (every profile is expired or needs a new login)"
            : configKey.isPresent() ? "no credential: models.providers." + p + ".apiKey " + configKey.get().unset()
            : "no credential");
        pr.put("fix", FixCommands.forMissing(p, agent.agentId()));
        continue;
      }
      for (var e : profiles.entrySet()) {
        Credential c = e.getValue();
        if (!Providers.same(c.provider(), p)) {
          continue;
        }
        if (FixCommands.setupTokenRejected(c, doc.usage(e.getKey()))) {
          code = Math.max(code, 2);
          ObjectNode pr = problems.addObject();
          pr.put("provider", p);
          pr.put("profileId", e.getKey());
          pr.put("severity", "warning");
          pr.put("message", "the provider refused this setup-token (401)");
          pr.put("fix", FixCommands.forRejectedSetupToken(e.getKey(), agent.agentId()));
          continue;
        }
        String why = switch (c) {
          case Credential.Token t when t.expiredAt(now) -> "expired";
          case Credential.Token t when t.expires() > 0 && t.expires() - now <= WARN_AFTER_MS ->
              "expires in " + Durations.remaining(t.expires() - now);
          case Credential.OAuth o when o.needsRelogin() -> "needs a new login (" + o.reloginReason() + ")";
          case Credential.OAuth o when !o.canRefresh() && o.expires() <= now -> "expired";
          case Credential.OAuth o when !o.canRefresh() && o.expires() - now <= WARN_AFTER_MS ->
              "expires in " + Durations.remaining(o.expires() - now);
          default -> null;
        };
        if (why != null) {
          code = Math.max(code, 2);
          ObjectNode pr = problems.addObject();
          pr.put("provider", p);
          pr.put("profileId", e.getKey());
          pr.put("severity", "warning");
          pr.put("message", why);
          pr.put("fix", c instanceof Credential.OAuth
              ? FixCommands.forRelogin(p, e.getKey(), agent.agentId())
              : "clawauth models auth paste-token --provider " + p + " --profile-id " + e.getKey()
                  + FixCommands.agentFlag(agent.agentId()));
        }
      }
    }
    ObjectNode check = Json.object();
    check.put("exitCode", code);
    check.set("problems", problems);
    return check;
  }

  /**
   * When an {@code auth.order} (the store's override, else the config's) is why no profile is a
   * candidate while a usable one exists, says so on {@code pr}: "every profile is expired" would
   * send the user to log in again for nothing. Adds {@code orderSource}, {@code missingOrderIds}
   * (entries naming no profile of the provider) and {@code excludedProfileIds}.
   */
  private static boolean orderExcludes(ObjectNode pr, Candidates.Result cands, StoreDocument doc,
      AgentContext agent, String p, long now) {
    boolean store = cands.source() == Candidates.Source.STORE_ORDER;
    if (!store && cands.source() != Candidates.Source.CONFIG_ORDER) {
      return false;
    }
    List<String> left = new ArrayList<>();
    doc.profiles().forEach((id, c) -> {
      if (Providers.same(c.provider(), p) && Candidates.usableCredential(c, now) && !cands.dropped().contains(id)) {
        left.add(id);
      }
    });
    if (left.isEmpty()) {
      return false;
    }
    List<String> missing = cands.dropped().stream()
        .filter(id -> doc.profile(id).map(c -> !Providers.same(c.provider(), p)).orElse(true)).toList();
    String where = store ? "the store's auth.order" : "auth.order in " + agent.config().path();
    String suffix = FixCommands.agentFlag(agent.agentId());
    pr.put("message", "no usable candidate: " + where + " for " + p + (missing.isEmpty() ? " leaves out"
        : " names " + String.join(", ", missing) + ", which " + (missing.size() == 1 ? "does" : "do")
            + " not exist, and leaves out") + " the usable " + String.join(", ", left));
    String set = "clawauth models auth order set --provider " + p + " " + String.join(" ", left) + suffix;
    pr.put("fix", store
        ? "Run `clawauth models auth order clear --provider " + p + suffix + "` or set a valid order: `" + set + "`."
        : "Set a valid order: `" + set + "` (it overrides the config's), or fix auth.order." + p + " in "
            + agent.config().path() + ".");
    pr.put("orderSource", store ? "store" : "config");
    strings(pr.putArray("missingOrderIds"), missing);
    strings(pr.putArray("excludedProfileIds"), left);
    return true;
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }
}
