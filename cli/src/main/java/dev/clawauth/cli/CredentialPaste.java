package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.credentials.KeyShapes.CredentialKind;
import dev.clawauth.credentials.ProfileConflictException;
import dev.clawauth.credentials.ProfileWriter;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.Secret;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * The steps every paste shares: check the arguments and the files before asking for the secret,
 * validate its shape, store it, and report without echoing it.
 */
final class CredentialPaste {
  private CredentialPaste() {}

  /** Arguments checked before anything is read or written. */
  record Plan(AgentContext ctx, String provider, CredentialKind kind, String profileId, long expires,
      String agentSuffix) {}

  static Plan plan(AgentContext ctx, String rawProvider, CredentialKind kind, String rawProfileId,
      String expiresIn, String explicitAgent) throws Exception {
    String provider = Providers.normalize(rawProvider);
    if (provider.isEmpty() || !provider.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new CliException("Invalid --provider \"" + rawProvider.strip()
          + "\": use a provider id such as anthropic, openai, openrouter.");
    }
    String defaultName = kind == CredentialKind.TOKEN ? "manual" : "default";
    String id = rawProfileId == null ? provider + ":" + defaultName : rawProfileId.strip();
    checkProfileId(id);
    long expires = 0;
    if (expiresIn != null) {
      if (kind != CredentialKind.TOKEN) {
        throw new CliException("--expires-in applies to tokens only; API keys do not expire.");
      }
      expires = ctx.clock().millis() + Durations.parse(expiresIn);
    }
    // A store that does not parse must stop us before the user pastes anything.
    ctx.store().readStored();
    String suffix = FixCommands.agentFlag(ctx.agentId(), explicitAgent == null);
    return new Plan(ctx, provider, kind, id, expires, suffix);
  }

  static void checkProfileId(String id) {
    if (id.isEmpty() || id.length() > 200 || id.chars().anyMatch(c -> Character.isWhitespace(c)
        || Character.isISOControl(c))) {
      throw new CliException("Invalid --profile-id: use <provider>:<name> without spaces, e.g. anthropic:work.");
    }
  }

  static void validate(Plan plan, String secret) {
    KeyShapes.problem(plan.provider(), plan.kind(), secret, plan.agentSuffix()).ifPresent(msg -> {
      throw new CliException(msg);
    });
  }

  static ProfileWriter.Saved store(Plan plan, String secret, ProfileWriter.OnConflict onConflict)
      throws Exception {
    Secret s = new Secret(secret.strip());
    Credential c = plan.kind() == CredentialKind.TOKEN
        ? new Credential.Token(plan.provider(), s, plan.expires(), null)
        : new Credential.ApiKey(plan.provider(), s, null);
    try {
      return ProfileWriter.save(plan.ctx(), plan.profileId(), c, onConflict);
    } catch (ProfileConflictException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** Reads (via {@code source}), validates and stores; prints the 2026.1 lines. */
  static ProfileWriter.Saved run(Plan plan, Supplier<String> source, PrintWriter out) throws Exception {
    String secret = source.get();
    validate(plan, secret);
    ProfileWriter.Saved saved = store(plan, secret, ProfileWriter.OnConflict.REPLACE);
    report(plan.ctx(), saved, out);
    return saved;
  }

  static void report(AgentContext ctx, ProfileWriter.Saved saved, PrintWriter out) {
    if (saved.configChanged()) {
      out.println("Updated " + ctx.paths().configPath());
    }
    String note = switch (saved.outcome()) {
      case CREATED -> "";
      case REPLACED -> " - replaced the previous credential";
      case UPDATED -> " - same secret, expiry updated";
      case UNCHANGED -> " - already stored, unchanged";
    };
    out.println("Auth profile: " + saved.profileId() + " (" + saved.provider() + "/" + saved.mode() + ")" + note);
    out.flush();
  }

  static String promptFor(Plan plan) {
    return (plan.kind() == CredentialKind.TOKEN ? "Paste token for " : "Paste API key for ")
        + plan.provider() + " (input hidden): ";
  }
}
