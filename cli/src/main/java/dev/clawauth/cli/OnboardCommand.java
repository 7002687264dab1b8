package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.credentials.KeyShapes.CredentialKind;
import dev.clawauth.credentials.ProfileWriter;
import dev.clawauth.onboard.AuthChoice;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.Providers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "onboard", sortOptions = false, description = {
    "Set up an agent's model credential (wizard, or --non-interactive).",
    "Chooses the auth method, stores the credential, sets the default model and shows",
    "`models status`. Interactive on a terminal; for scripts:",
    "  clawauth onboard --non-interactive --anthropic-api-key <key>",
    "Without a terminal, a key flag or --auth-choice implies --non-interactive; a token or key",
    "not given as a flag is read from standard input (e.g. --auth-choice setup-token).",
    "The choice is inferred from the key given. Re-running never destroys a profile: a different",
    "secret under the same profile id is refused unless --force is given.",
    "A key value of '-' is read from standard input (keeps it out of the process list)."})
public final class OnboardCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;

  @Option(names = "--non-interactive", description = "Run without prompts.")
  boolean nonInteractive;
  @Option(names = "--auth-choice", paramLabel = "<choice>",
      description = "Auth: apiKey|setup-token|token|openai-codex|openai-api-key|openrouter-api-key|gemini-api-key|"
          + "ai-gateway-api-key|moonshot-api-key|kimi-code-api-key|zai-api-key|minimax-api|synthetic-api-key|"
          + "opencode-zen|skip (default: inferred from the key given).")
  String authChoice;
  @Option(names = "--anthropic-api-key", paramLabel = "<key>", description = "Anthropic API key.")
  String anthropicKey;
  @Option(names = "--openai-api-key", paramLabel = "<key>", description = "OpenAI API key.")
  String openaiKey;
  @Option(names = "--openrouter-api-key", paramLabel = "<key>", description = "OpenRouter API key.")
  String openrouterKey;
  @Option(names = "--ai-gateway-api-key", paramLabel = "<key>", description = "Vercel AI Gateway API key.")
  String aiGatewayKey;
  @Option(names = "--moonshot-api-key", paramLabel = "<key>", description = "Moonshot API key.")
  String moonshotKey;
  @Option(names = "--kimi-code-api-key", paramLabel = "<key>", description = "Kimi Code API key.")
  String kimiKey;
  @Option(names = "--gemini-api-key", paramLabel = "<key>", description = "Gemini API key.")
  String geminiKey;
  @Option(names = "--zai-api-key", paramLabel = "<key>", description = "Z.AI API key.")
  String zaiKey;
  @Option(names = "--minimax-api-key", paramLabel = "<key>", description = "MiniMax API key.")
  String minimaxKey;
  @Option(names = "--synthetic-api-key", paramLabel = "<key>", description = "Synthetic API key.")
  String syntheticKey;
  @Option(names = "--opencode-zen-api-key", paramLabel = "<key>", description = "OpenCode Zen API key.")
  String opencodeKey;
  @Option(names = "--token", paramLabel = "<token>", description = "Token value (setup-token or --auth-choice token).")
  String token;
  @Option(names = "--token-provider", paramLabel = "<id>", description = "Token provider id (with --auth-choice token).")
  String tokenProvider;
  @Option(names = "--token-profile-id", paramLabel = "<id>",
      description = "Profile id for the token (default: anthropic:default for setup-token, <provider>:manual for token).")
  String tokenProfileId;
  @Option(names = "--token-expires-in", paramLabel = "<duration>", description = "Optional token expiry (e.g. 365d, 12h).")
  String tokenExpiresIn;
  @Option(names = "--profile-id", paramLabel = "<id>", description = "Profile id for an API key (default: <provider>:default).")
  String profileId;
  @Option(names = "--model", paramLabel = "<provider/model>",
      description = "Default model to set (default: the choice's model when none is configured).")
  String model;
  @Option(names = "--force", description = "Replace a different credential already stored under the same profile id.")
  boolean force;
  @Option(names = "--accept-risk", description = "Accepted for 2026.1 scripts; has no effect.")
  boolean acceptRisk;
  @Option(names = {"--skip-health", "--skip-channels", "--skip-skills", "--skip-ui", "--skip-daemon",
      "--no-install-daemon"}, hidden = true, description = "2026.1 gateway options; no effect here.")
  boolean ignoredFlag;
  @Option(names = {"--flow", "--mode", "--workspace"}, hidden = true, paramLabel = "<value>",
      description = "2026.1 gateway options; no effect here.")
  String ignoredValue;

  private PrintWriter out;
  private boolean stdinUsed;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    if (model != null && !model.strip().matches("[^/\\s]+/\\S+")) {
      throw new CliException("Invalid --model \"" + model.strip() + "\": use <provider>/<model>, e.g. anthropic/claude-opus-4-5.");
    }
    AgentContext ctx = agent.open();
    ctx.store().readStored();
    boolean terminal = Tty.stdinIsTerminal();
    Map<AuthChoice, String> keys = givenKeys();
    // The documents script `onboard --anthropic-api-key "$KEY"` without --non-interactive: a
    // credential flag with no terminal to ask on can only mean the non-interactive run.
    boolean credentialGiven = !keys.isEmpty() || token != null || authChoice != null;
    if (!nonInteractive && !terminal && !credentialGiven) {
      throw new CliException("onboard is interactive and standard input is not a terminal: add --non-interactive"
          + " and a key, e.g. `clawauth onboard --non-interactive --anthropic-api-key <key>`.");
    }
    Optional<AuthChoice> choice = chosen(keys);
    if (nonInteractive || !terminal) {
      AuthChoice c = choice.orElseThrow(() -> new CliException("Nothing to onboard: pass a key"
          + " (--anthropic-api-key <key>, --openrouter-api-key <key>, --token <setup-token> ...) or --auth-choice skip."));
      runNonInteractive(ctx, c, keys);
    } else {
      try (Prompts p = Prompts.open()) {
        new OnboardWizard(this, ctx, p).run(choice.orElse(null), keys);
      }
    }
    printStatus();
    return 0;
  }

  // ---- the choice

  private Map<AuthChoice, String> givenKeys() {
    Map<AuthChoice, String> m = new LinkedHashMap<>();
    put(m, AuthChoice.API_KEY, anthropicKey);
    put(m, AuthChoice.OPENAI_API_KEY, openaiKey);
    put(m, AuthChoice.OPENROUTER_API_KEY, openrouterKey);
    put(m, AuthChoice.AI_GATEWAY_API_KEY, aiGatewayKey);
    put(m, AuthChoice.MOONSHOT_API_KEY, moonshotKey);
    put(m, AuthChoice.KIMI_CODE_API_KEY, kimiKey);
    put(m, AuthChoice.GEMINI_API_KEY, geminiKey);
    put(m, AuthChoice.ZAI_API_KEY, zaiKey);
    put(m, AuthChoice.MINIMAX_API, minimaxKey);
    put(m, AuthChoice.SYNTHETIC_API_KEY, syntheticKey);
    put(m, AuthChoice.OPENCODE_ZEN, opencodeKey);
    return m;
  }

  private static void put(Map<AuthChoice, String> m, AuthChoice c, String v) {
    if (v != null) {
      m.put(c, v);
    }
  }

  private Optional<AuthChoice> chosen(Map<AuthChoice, String> keys) {
    if (authChoice != null) {
      return Optional.of(AuthChoice.parse(authChoice).orElseThrow(() -> new CliException(
          "Unknown --auth-choice \"" + authChoice.strip() + "\": use one of " + AuthChoice.names()
              + " (claude-cli, codex-cli and chutes are not offered by clawauth).")));
    }
    List<AuthChoice> from = new ArrayList<>(keys.keySet());
    if (token != null) {
      from.add(tokenProvider == null || Providers.normalize(tokenProvider).equals("anthropic")
          ? AuthChoice.SETUP_TOKEN : AuthChoice.TOKEN);
    }
    if (from.size() > 1) {
      throw new CliException("Several credentials given (" + from.stream().map(AuthChoice::wire).toList()
          + "): onboard stores one per run; pass one, or name it with --auth-choice.");
    }
    return from.stream().findFirst();
  }

  private void runNonInteractive(AgentContext ctx, AuthChoice c, Map<AuthChoice, String> keys) throws Exception {
    switch (c.method()) {
      case API_KEY -> {
        String key = keys.get(c) != null ? secret(keys.get(c)) : piped();
        if (key == null) {
          throw new CliException("--auth-choice " + c.wire() + " needs " + optionFor(c) + " <key>"
              + " (or the key piped on standard input).");
        }
        storeCredential(ctx, c, c.provider(), CredentialKind.API_KEY, key, profileId, null, null);
      }
      case TOKEN -> {
        String provider = c == AuthChoice.TOKEN ? requireTokenProvider() : "anthropic";
        String value = token != null ? secret(token) : piped();
        if (value == null) {
          throw new CliException("--auth-choice " + c.wire() + " needs the token: pass --token <token>"
              + (c == AuthChoice.TOKEN ? "" : " (made by `claude setup-token`)")
              + " or pipe it on standard input, e.g. `echo \"$TOKEN\" | clawauth onboard --auth-choice "
              + c.wire() + (c == AuthChoice.TOKEN ? " --token-provider " + provider : "") + agentSuffix(ctx) + "`.");
        }
        storeCredential(ctx, c, provider, CredentialKind.TOKEN, value, tokenProfileId, tokenExpiresIn, null);
      }
      case OAUTH -> throw new CliException("OpenAI Codex signs in through a browser: run `clawauth models auth login"
          + " --provider openai-codex" + agentSuffix(ctx) + "` on a machine with a terminal.");
      case NONE -> {
        out.println("No credential stored (--auth-choice skip).");
        applyModel(ctx, null, null);
      }
    }
  }

  private String requireTokenProvider() {
    if (tokenProvider == null || tokenProvider.isBlank()) {
      throw new CliException("--auth-choice token needs --token-provider <id> (e.g. anthropic).");
    }
    return Providers.normalize(tokenProvider);
  }

  static String optionFor(AuthChoice c) {
    return switch (c) {
      case API_KEY -> "--anthropic-api-key";
      case MINIMAX_API -> "--minimax-api-key";
      case OPENCODE_ZEN -> "--opencode-zen-api-key";
      default -> "--" + c.wire();
    };
  }

  private String secret(String value) {
    if (!value.equals("-")) {
      return value.strip();
    }
    if (stdinUsed) {
      throw new CliException("Only one value can be read from standard input ('-').");
    }
    stdinUsed = true;
    return SecretInput.fromStdin();
  }

  /**
   * The credential piped on standard input when no flag carried it (`claude setup-token | ...`), or
   * null when stdin is a terminal or empty: then the caller names the flag to pass.
   */
  private String piped() {
    if (Tty.stdinIsTerminal() || stdinUsed) {
      return null;
    }
    stdinUsed = true;
    String v = SecretInput.fromStdin();
    return v.isEmpty() ? null : v;
  }

  String agentSuffix(AgentContext ctx) {
    return agent.flag(ctx);
  }

  /**
   * Validates and stores one credential, then sets the model. With {@code confirmReplace} (the wizard)
   * a conflicting profile is replaced only when the user agrees; otherwise only with --force.
   */
  ProfileWriter.Saved storeCredential(AgentContext ctx, AuthChoice c, String provider, CredentialKind kind,
      String value, String id, String expiresIn, Prompts confirmReplace) throws Exception {
    String pid = id != null ? id : kind == CredentialKind.TOKEN && c == AuthChoice.TOKEN
        ? provider + ":manual" : provider + ":default";
    var plan = CredentialPaste.plan(ctx, provider, kind, pid, expiresIn, agent.agentId);
    CredentialPaste.validate(plan, value);
    ProfileWriter.Saved saved;
    try {
      saved = CredentialPaste.store(plan, value, force ? ProfileWriter.OnConflict.REPLACE : ProfileWriter.OnConflict.REFUSE);
    } catch (CliException conflict) {
      if (confirmReplace == null || !ctx.store().readStored().hasProfileId(pid)) {
        throw conflict;
      }
      confirmReplace.println(conflict.getMessage().replace(" Re-run with --force to replace it, or choose another id with --profile-id.", ""));
      if (!confirmReplace.confirm("Replace it?", false)) {
        throw new CliException("Kept the existing profile " + pid + "; nothing was changed.");
      }
      saved = CredentialPaste.store(plan, value, ProfileWriter.OnConflict.REPLACE);
    }
    CredentialPaste.report(ctx, saved, out);
    if (confirmReplace == null) {
      applyModel(ctx, provider, c.defaultModel() != null ? c.defaultModel()
          : AuthChoice.defaultModelFor(provider).orElse(null));
    }
    return saved;
  }

  /** Sets the default model: --model, else the choice's model when none is configured. */
  void applyModel(AgentContext ctx, String provider, String suggested) throws Exception {
    ClawConfig cfg = ClawConfig.load(ctx.paths().configPath());
    String current = primaryConfigured(cfg);
    String target = model != null ? model.strip() : current == null ? suggested : null;
    if (target != null && !target.equals(current)) {
      setModel(ctx, target);
      return;
    }
    if (provider != null && current != null && !ClawConfig.providerOf(cfg.resolveModel(current)).equals(provider)) {
      out.println("Default model stays " + current + "; pass --model <" + provider + "/model> to use the new "
          + provider + " credential by default.");
    }
  }

  void setModel(AgentContext ctx, String target) throws Exception {
    if (!target.contains("/")) {
      throw new CliException("Invalid model \"" + target + "\": use <provider>/<model>, e.g. anthropic/claude-opus-4-5.");
    }
    ConfigFile.update(ctx.paths().configPath(), root -> {
      ObjectNode agents = root.get("agents") instanceof ObjectNode a ? a : root.putObject("agents");
      ObjectNode defaults = agents.get("defaults") instanceof ObjectNode d ? d : agents.putObject("defaults");
      if (defaults.get("model") instanceof ObjectNode m) {
        m.put("primary", target);
      } else {
        defaults.putObject("model").put("primary", target);
      }
    });
    out.println("Default model: " + target);
  }

  static String primaryConfigured(ClawConfig cfg) {
    var m = cfg.tree().path("agents").path("defaults").path("model");
    String p = m.isTextual() ? m.asText() : m.path("primary").asText("");
    return p.isBlank() ? null : p.strip();
  }

  PrintWriter out() {
    return out;
  }

  String modelOption() {
    return model;
  }

  private void printStatus() throws Exception {
    AgentContext fresh = agent.open();
    out.println();
    out.print(StatusText.render(StatusReport.build(fresh), fresh));
    out.flush();
  }

  static Optional<String> shapeProblem(String provider, CredentialKind kind, String value, String suffix) {
    return KeyShapes.problem(provider, kind, value, suffix);
  }
}
