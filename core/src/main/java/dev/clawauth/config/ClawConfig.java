package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.Providers;
import dev.clawauth.state.AgentIds;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * openclaw.json (JSON5): the read side of the keys Clawauth uses. Unknown keys are not modelled;
 * {@link ConfigFile} edits the tree and keeps them.
 */
public final class ClawConfig {
  /** The model OpenClaw 2026.1 uses when the config names none (and a fresh directory's). */
  public static final String DEFAULT_MODEL = "anthropic/claude-opus-4-5";
  /** The model OpenClaw 2026.9 uses when the config names none. */
  public static final String OPENCLAW_2026_9_DEFAULT_MODEL = "openai/gpt-6-astra";

  private final Path path;
  private final ObjectNode root;
  private final boolean exists;
  private final String builtInDefault;

  ClawConfig(Path path, ObjectNode root, boolean exists) {
    this(path, root, exists, DEFAULT_MODEL);
  }

  private ClawConfig(Path path, ObjectNode root, boolean exists, String builtInDefault) {
    this.path = path;
    this.root = root;
    this.exists = exists;
    this.builtInDefault = builtInDefault;
  }

  /**
   * This config as read by a release whose default model (when the config names none) is
   * {@code model}: the state directory's OpenClaw decides which model its agents run.
   */
  public ClawConfig withBuiltInDefault(String model) {
    return model.equals(builtInDefault) ? this : new ClawConfig(path, root, exists, model);
  }

  public static ClawConfig load(Path path) throws IOException, JsonFileException {
    String text;
    try {
      text = AtomicFiles.read(path);
    } catch (NoSuchFileException missing) {
      return new ClawConfig(path, Json.object(), false);
    }
    JsonNode node = Json.parseJson5(path, text);
    if (!(node instanceof ObjectNode o)) {
      throw new JsonFileException(path, 1, 1, "the top level is not a JSON object");
    }
    return new ClawConfig(path, o, true);
  }

  public static ClawConfig empty(Path path) {
    return new ClawConfig(path, Json.object(), false);
  }

  public Path path() {
    return path;
  }

  /**
   * Where the value at {@code keys} (object keys from the top) is in the file, as "line:column"
   * (1-based, the column in characters as an editor counts them); empty when the file or the key
   * cannot be found. Reads the file again: it is meant for an error message.
   */
  public Optional<String> position(String... keys) {
    try {
      String raw = AtomicFiles.read(path);
      String text = raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
      Json5Spans.Value at = Json5Spans.parse(text);
      for (String key : keys) {
        if (!(at instanceof Json5Spans.Container c) || c.array()) {
          return Optional.empty();
        }
        Json5Spans.Value next = null;
        for (Json5Spans.Item item : c.items()) {
          if (key.equals(item.key())) {
            // A key given twice counts as its last, as the parser reads it.
            next = item.value();
          }
        }
        if (next == null) {
          return Optional.empty();
        }
        at = next;
      }
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at.start(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return Optional.of(line + ":" + (at.start() - lineStart + 1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public boolean exists() {
    return exists;
  }

  public ObjectNode tree() {
    return root;
  }

  // ---- agents and models

  /**
   * The configured agents, in file order: OpenClaw 2026.9's {@code agents.entries} map
   * ({@code id -> entry}), else 2026.1's {@code agents.list} array ({@code [{id, ...}]}).
   */
  private Map<String, JsonNode> agentEntries() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode agents = root.path("agents");
    if (agents.path("entries").isObject()) {
      agents.path("entries").properties().forEach(e -> {
        if (!e.getKey().isBlank()) {
          out.putIfAbsent(e.getKey().trim().toLowerCase(java.util.Locale.ROOT), e.getValue());
        }
      });
      return out;
    }
    for (JsonNode a : agents.path("list")) {
      String id = a.path("id").asText("");
      if (!id.isBlank()) {
        out.putIfAbsent(id.trim().toLowerCase(java.util.Locale.ROOT), a);
      }
    }
    return out;
  }

  /** Which shape {@link #agentEntries} comes from, for writers that must keep it. */
  public enum AgentsShape {
    /** {@code agents.entries}: OpenClaw 2026.9. */
    ENTRIES,
    /** {@code agents.list}: OpenClaw 2026.1 (2026.9 reads it too while it stands alone). */
    LIST,
    /** Neither is written. */
    NONE
  }

  public AgentsShape agentsShape() {
    JsonNode agents = root.path("agents");
    if (agents.has("entries")) {
      return AgentsShape.ENTRIES;
    }
    return agents.has("list") ? AgentsShape.LIST : AgentsShape.NONE;
  }

  /** Configured agent ids, in file order. */
  public List<String> agentIds() {
    return new ArrayList<>(agentEntries().keySet());
  }

  /**
   * The agent commands act on without {@code --agent}: the entry marked {@code default: true},
   * else 2026.9's {@code agents.defaults.systemAgent.agentId}, else {@code main}.
   */
  public String defaultAgentId() {
    for (var e : agentEntries().entrySet()) {
      if (e.getValue().path("default").asBoolean(false)) {
        return e.getKey();
      }
    }
    String system = root.path("agents").path("defaults").path("systemAgent").path("agentId").asText("").trim();
    return system.isEmpty() ? AgentIds.DEFAULT : system.toLowerCase(java.util.Locale.ROOT);
  }

  private Optional<JsonNode> agentEntry(String agentId) {
    return Optional.ofNullable(agentEntries().get(agentId.toLowerCase(java.util.Locale.ROOT)));
  }

  /** A configured agent dir override ({@code agentDir} of the agent's entry). */
  public Optional<String> agentDirOverride(String agentId) {
    return agentEntry(agentId).map(a -> a.path("agentDir").asText("")).filter(s -> !s.isBlank());
  }

  private JsonNode modelNode(String agentId, String key) {
    JsonNode own = agentEntry(agentId).map(a -> a.get(key)).orElse(null);
    if (own != null && !own.isNull()) {
      return own;
    }
    return root.path("agents").path("defaults").path(key);
  }

  private static Optional<String> primary(JsonNode model) {
    if (model.isTextual()) {
      return Optional.of(model.asText().trim()).filter(s -> !s.isEmpty());
    }
    return Optional.of(model.path("primary").asText("").trim()).filter(s -> !s.isEmpty());
  }

  private static List<String> fallbacks(JsonNode model) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : model.path("fallbacks")) {
      if (f.isTextual() && !f.asText().isBlank()) {
        out.add(f.asText().trim());
      }
    }
    return out;
  }

  public String defaultModel(String agentId) {
    return primary(modelNode(agentId, "model")).orElse(builtInDefault);
  }

  public List<String> fallbacks(String agentId) {
    return fallbacks(modelNode(agentId, "model"));
  }

  public Optional<String> imageModel(String agentId) {
    return primary(modelNode(agentId, "imageModel"));
  }

  public List<String> imageFallbacks(String agentId) {
    return fallbacks(modelNode(agentId, "imageModel"));
  }

  /** Alias → model id, from {@code agents.defaults.models[<id>].alias}. */
  public Map<String, String> aliases() {
    Map<String, String> out = new LinkedHashMap<>();
    root.path("agents").path("defaults").path("models").properties().forEach(e -> {
      String alias = e.getValue().path("alias").asText("").trim();
      if (!alias.isEmpty()) {
        out.put(alias, e.getKey());
      }
    });
    return out;
  }

  /** The configured model allow-list (keys of {@code agents.defaults.models}); empty means all. */
  public List<String> allowedModels() {
    List<String> out = new ArrayList<>();
    root.path("agents").path("defaults").path("models").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Resolves an alias (case-insensitive) or a bare model name to {@code provider/model}. */
  public String resolveModel(String model) {
    String m = model.trim();
    for (var e : aliases().entrySet()) {
      if (e.getKey().equalsIgnoreCase(m)) {
        return e.getValue();
      }
    }
    return m.contains("/") ? m : "anthropic/" + m;
  }

  public static String providerOf(String resolvedModel) {
    int slash = resolvedModel.indexOf('/');
    return Providers.normalize(slash < 0 ? "anthropic" : resolvedModel.substring(0, slash));
  }

  /** Providers of the default model, its fallbacks, the image model and its fallbacks. */
  public List<String> providersInUse(String agentId) {
    List<String> models = new ArrayList<>();
    models.add(defaultModel(agentId));
    models.addAll(fallbacks(agentId));
    imageModel(agentId).ifPresent(models::add);
    models.addAll(imageFallbacks(agentId));
    List<String> out = new ArrayList<>();
    for (String m : models) {
      String p = providerOf(resolveModel(m));
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  // ---- auth

  /** {@code auth.profiles}: id → {provider, mode}. */
  public Map<String, ProfileDecl> authProfiles() {
    Map<String, ProfileDecl> out = new LinkedHashMap<>();
    root.path("auth").path("profiles").properties().forEach(e -> out.put(e.getKey(),
        new ProfileDecl(e.getValue().path("provider").asText(""), e.getValue().path("mode").asText(""))));
    return out;
  }

  public record ProfileDecl(String provider, String mode) {}

  public Optional<List<String>> authOrder(String provider) {
    String want = Providers.normalize(provider);
    for (var e : root.path("auth").path("order").properties()) {
      if (Providers.normalize(e.getKey()).equals(want) && e.getValue().isArray()) {
        List<String> ids = new ArrayList<>();
        e.getValue().forEach(v -> ids.add(v.asText()));
        return Optional.of(ids);
      }
    }
    return Optional.empty();
  }

  public JsonNode cooldowns() {
    return root.path("auth").path("cooldowns");
  }

  /** The provider's entry {@code models.providers.<id>} (a missing node when there is none). */
  public JsonNode providerEntry(String provider) {
    JsonNode providers = root.path("models").path("providers");
    String id = Providers.normalize(provider);
    JsonNode direct = providers.path(id);
    if (!direct.isMissingNode()) {
      return direct;
    }
    // As OpenClaw looks a provider up: the key as written, else any key that normalises to the id.
    for (var it = providers.properties().iterator(); it.hasNext();) {
      var e = it.next();
      if (Providers.normalize(e.getKey()).equals(id)) {
        return e.getValue();
      }
    }
    return direct;
  }

  /** {@code models.providers.<id>.baseUrl}, the provider's API base URL override. */
  public Optional<String> providerBaseUrl(String provider) {
    return text(providerEntry(provider).path("baseUrl"));
  }

  /**
   * {@code models.providers.<id>.api}, the API the provider speaks ({@code "anthropic-messages"},
   * {@code "openai-completions"}, ...), as written. A value that is not a string is given as its JSON
   * text, so a wrong value can be named rather than read as absent.
   */
  public Optional<String> providerApi(String provider) {
    JsonNode api = providerEntry(provider).path("api");
    if (api.isMissingNode() || api.isNull()) {
      return Optional.empty();
    }
    return Optional.of(api.isTextual() ? api.asText().trim() : api.toString());
  }

  /** Where a model's API is set: the value as written ({@link #providerApi}) and the config key that holds it. */
  public record ApiSetting(String value, String key) {}

  /**
   * The API {@code provider/modelId} is served with: the model's own {@code api} in
   * {@code models.providers.<id>.models[]}, else the provider's, as OpenClaw resolves an inline
   * model ({@code model.api ?? provider.api}).
   */
  public Optional<ApiSetting> modelApi(String provider, String modelId) {
    String id = Providers.normalize(provider);
    JsonNode models = providerEntry(provider).path("models");
    for (int i = 0; i < models.size(); i++) {
      JsonNode m = models.get(i);
      JsonNode api = m.path("api");
      if (m.path("id").isTextual() && m.path("id").asText().trim().equals(modelId)
          && !api.isMissingNode() && !api.isNull()) {
        return Optional.of(new ApiSetting(api.isTextual() ? api.asText().trim() : api.toString(),
            "models.providers." + id + ".models[" + i + "].api"));
      }
    }
    return providerApi(provider).map(v -> new ApiSetting(v, "models.providers." + id + ".api"));
  }

  /** The provider ids of {@code models.providers}, normalised. */
  public List<String> configuredProviders() {
    List<String> ids = new ArrayList<>();
    root.path("models").path("providers").fieldNames().forEachRemaining(n -> ids.add(Providers.normalize(n)));
    return ids;
  }

  /**
   * {@code models.providers.<id>.apiKey}, the key OpenClaw uses for a provider after its profiles
   * and environment variables, as written: a string (possibly with {@code ${VAR}} references), or
   * OpenClaw's reference object {@code {source: "env", id: "VAR"}}, given as {@code ${VAR}}. Other
   * reference sources (file, exec) are not read: empty.
   */
  public Optional<String> providerApiKey(String provider) {
    JsonNode key = providerEntry(provider).path("apiKey");
    if (key.isTextual()) {
      return key.asText().isBlank() ? Optional.empty() : Optional.of(key.asText().trim());
    }
    if (key.isObject() && key.path("source").asText("").equals("env") && key.path("id").isTextual()) {
      return Optional.of("${" + key.path("id").asText().trim() + "}");
    }
    return Optional.empty();
  }

  /** Per-provider OAuth endpoint overrides ({@code auth.oauth.<id>.<key>}). */
  public Optional<String> oauthSetting(String provider, String key) {
    return text(root.path("auth").path("oauth").path(Providers.normalize(provider)).path(key));
  }

  // ---- env

  /** String values of the config's {@code env} block: {@code env.vars} and top-level strings. */
  public Map<String, String> envVars() {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode env = root.path("env");
    env.properties().forEach(e -> {
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    });
    env.path("vars").properties().forEach(e -> {
      if (e.getValue().isTextual()) {
        out.putIfAbsent(e.getKey(), e.getValue().asText());
      }
    });
    return out;
  }

  public boolean shellEnvEnabled() {
    return root.path("env").path("shellEnv").path("enabled").asBoolean(false);
  }

  public Optional<Long> shellEnvTimeoutMs() {
    JsonNode t = root.path("env").path("shellEnv").path("timeoutMs");
    return t.isNumber() ? Optional.of(t.asLong()) : Optional.empty();
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText().trim()) : Optional.empty();
  }
}
