package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.hints.Durations;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Candidates;
import dev.clawauth.store.Credential;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.io.IOException;
import java.util.Map;

/**
 * The {@code /model} chat commands, answered by the gateway itself:
 * {@code /model}, {@code /model list}, {@code /model status}, {@code /model <model>@<profile>},
 * {@code /model <model>}, {@code /model default}.
 */
final class ModelCommands {
  private ModelCommands() {}

  static boolean isCommand(String text) {
    if (text == null) {
      return false;
    }
    String t = text.strip();
    return t.equals("/model") || t.startsWith("/model ");
  }

  /** The model a {@code /model <model>[@<profile>]} command switches to; null for the commands that switch none. */
  static ModelRef target(String text, boolean anthropicApi, ClawConfig config) {
    String arg = text.strip().substring("/model".length()).strip();
    if (arg.isEmpty() || arg.equals("list") || arg.equals("status") || arg.equals("default")) {
      return null;
    }
    int at = arg.lastIndexOf('@');
    return ModelRef.resolve(at > 0 ? arg.substring(0, at).strip() : arg, anthropicApi, config);
  }

  static String run(String text, AgentState agent, Sessions.Session session, ModelRef current,
      boolean anthropicApi) throws IOException, JsonFileException {
    String arg = text.strip().substring("/model".length()).strip();
    ClawConfig config = agent.ctx().config();
    StoreDocument doc = agent.doc();
    long now = agent.ctx().clock().millis();
    if (arg.isEmpty() || arg.equals("list")) {
      return list(config, doc, current, session);
    }
    if (arg.equals("status")) {
      return status(agent, doc, session, current, now);
    }
    if (arg.equals("default")) {
      session.model = null;
      session.pinnedProfile = null;
      session.sticky.clear();
      return "Model reset to the default (" + config.resolveModel(config.defaultModel(agent.ctx().agentId()))
          + "); profile pin removed.";
    }
    String modelPart = arg;
    String profile = null;
    int at = arg.lastIndexOf('@');
    if (at > 0) {
      modelPart = arg.substring(0, at).strip();
      profile = arg.substring(at + 1).strip();
    }
    ModelRef ref = ModelRef.resolve(modelPart, anthropicApi, config);
    if (profile != null) {
      Credential c = doc.profiles().get(profile);
      if (c == null) {
        return "No profile " + profile + " in " + agent.ctx().store().path()
            + ". Profiles: " + String.join(", ", doc.profiles().keySet());
      }
      if (!dev.clawauth.store.Providers.same(c.provider(), ref.provider())) {
        return "Profile " + profile + " is for " + c.provider() + ", not " + ref.provider() + ".";
      }
    }
    session.model = ref;
    session.pinnedProfile = profile;
    if (profile != null) {
      session.sticky.put(ref.provider(), profile);
    }
    return "Model set to " + ref.full() + (profile == null ? "" : " using profile " + profile) + ".";
  }

  private static String list(ClawConfig config, StoreDocument doc, ModelRef current, Sessions.Session s) {
    StringBuilder sb = new StringBuilder();
    sb.append("Current: ").append(current == null ? "(none)" : current.full());
    if (s.pinnedProfile != null) {
      sb.append(" @ ").append(s.pinnedProfile);
    }
    sb.append('\n');
    Map<String, String> aliases = config.aliases();
    if (!aliases.isEmpty()) {
      sb.append("Aliases:\n");
      aliases.forEach((a, m) -> sb.append("  ").append(a).append(" -> ").append(m).append('\n'));
    }
    if (!config.allowedModels().isEmpty()) {
      sb.append("Models:\n");
      config.allowedModels().forEach(m -> sb.append("  ").append(m).append('\n'));
    }
    sb.append("Profiles:\n");
    doc.profiles().forEach((id, c) -> sb.append("  ").append(id).append(" (").append(c.type()).append(")\n"));
    sb.append("Use /model <alias-or-id>[@<profileId>], /model status, /model default.");
    return sb.toString();
  }

  private static String status(AgentState agent, StoreDocument doc, Sessions.Session s, ModelRef current,
      long now) {
    StringBuilder sb = new StringBuilder();
    ClawConfig config = agent.ctx().config();
    sb.append("Agent: ").append(agent.ctx().agentId()).append('\n');
    sb.append("Model: ").append(current == null ? "(none)" : current.full()).append('\n');
    if (current == null) {
      return sb.toString();
    }
    sb.append("Endpoint: ").append(Upstreams.base(config, current.provider()).orElse("(none configured)"))
        .append(Upstreams.wire(config, current).map(w -> " (serves " + w.endpoint() + ")")
            .orElse(" (api " + config.modelApi(current.provider(), current.model())
                .map(ClawConfig.ApiSetting::value).orElse("") + ": not proxied)"))
        .append('\n');
    String preferred = s.pinnedProfile != null ? s.pinnedProfile : s.sticky.get(current.provider());
    Candidates.Result r = Candidates.forProvider(current.provider(), doc, config, now, preferred);
    String next = null;
    sb.append("Candidates (").append(r.source().name().toLowerCase(java.util.Locale.ROOT)).append("):\n");
    for (String id : r.ids()) {
      UsageStats u = doc.usage(id);
      boolean usable = !u.unusableAt(now);
      if (usable && next == null) {
        next = id;
      }
      sb.append("  ").append(id).append(" (").append(doc.profiles().get(id).type()).append(")");
      if (!usable) {
        sb.append(" unusable for ").append(Durations.remaining(u.unusableUntil() - now));
      }
      if (id.equals(s.pinnedProfile)) {
        sb.append(" [pinned]");
      }
      sb.append('\n');
    }
    if (agent.ctx().env().forProvider(current.provider()).isPresent()) {
      sb.append("  env: ").append(agent.ctx().env().forProvider(current.provider()).get().source()).append('\n');
      if (next == null) {
        next = "env";
      }
    }
    var configured = ConfigRefs.apiKey(agent.ctx(), current.provider());
    if (configured.isPresent()) {
      String key = "models.providers." + current.provider() + ".apiKey";
      sb.append("  config: ").append(key).append(configured.get().ok() ? "" : " " + configured.get().unset())
          .append('\n');
      if (next == null && configured.get().ok()) {
        next = "config (" + key + ")";
      }
    }
    sb.append("Next: ").append(next == null ? "(none usable)" : next);
    return sb.toString();
  }
}
