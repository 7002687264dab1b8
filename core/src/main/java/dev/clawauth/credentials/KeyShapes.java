package dev.clawauth.credentials;

import dev.clawauth.store.Providers;
import java.util.List;
import java.util.Optional;

/**
 * Recognises pasted secrets by their prefix, so that a key pasted into the wrong command or for the
 * wrong provider is refused with the command that fits, instead of being stored and failing later.
 * Only distinctive prefixes are listed: a bare {@code sk-} is used by many providers and is never
 * refused on its own, except where a provider's own shape is known (Anthropic).
 */
public final class KeyShapes {
  private KeyShapes() {}

  /** Minimum length of an Anthropic setup-token (the later 2026 releases' rule, oauth.md). */
  public static final int SETUP_TOKEN_MIN_LENGTH = 80;
  /** What every Anthropic key and token starts with. */
  public static final String ANTHROPIC_PREFIX = "sk-ant-";
  /** What every Anthropic subscription (OAuth) token carries, whatever its version. */
  public static final String ANTHROPIC_OAUTH_MARK = ANTHROPIC_PREFIX + "oat";
  /** The setup-token {@code claude setup-token} prints. */
  public static final String SETUP_TOKEN_PREFIX = ANTHROPIC_OAUTH_MARK + "01-";
  /** What every Anthropic API key starts with, whatever its version. */
  public static final String ANTHROPIC_API_KEY_MARK = ANTHROPIC_PREFIX + "api";
  /** The Anthropic API key the console issues today. */
  public static final String ANTHROPIC_API_KEY_PREFIX = ANTHROPIC_API_KEY_MARK + "03-";

  /**
   * Whether an Anthropic secret is a subscription token (sent as a Bearer with the OAuth beta) rather
   * than an API key, wherever it was stored: a token pasted as an API key or set in an API-key
   * variable still carries {@link #ANTHROPIC_OAUTH_MARK}.
   */
  public static boolean isAnthropicOAuthToken(String secret) {
    return secret.contains(ANTHROPIC_OAUTH_MARK);
  }

  /** A recognisable secret: who issued it and which profile type it belongs in. */
  public record Shape(String prefix, String provider, CredentialKind kind, String name) {
    /** The command that stores this kind of secret. */
    public String command(String agentSuffix) {
      return "clawauth models auth " + (kind == CredentialKind.TOKEN ? "paste-token" : "paste-api-key")
          + " --provider " + provider + agentSuffix;
    }
  }

  /** The two kinds of secret a user pastes (OAuth grants come from a login, never a paste). */
  public enum CredentialKind {
    API_KEY("api_key"), TOKEN("token");

    private final String wire;

    CredentialKind(String wire) {
      this.wire = wire;
    }

    /** The profile {@code type} and config {@code mode}. */
    public String wire() {
      return wire;
    }
  }

  // Longest prefixes first: the first match wins.
  private static final List<Shape> SHAPES = List.of(
      new Shape(SETUP_TOKEN_PREFIX, "anthropic", CredentialKind.TOKEN, "Anthropic setup-token"),
      new Shape(ANTHROPIC_API_KEY_PREFIX, "anthropic", CredentialKind.API_KEY, "Anthropic API key"),
      new Shape(ANTHROPIC_PREFIX + "admin01-", "anthropic", CredentialKind.API_KEY, "Anthropic Admin API key"),
      new Shape("sk-or-v1-", "openrouter", CredentialKind.API_KEY, "OpenRouter API key"),
      new Shape("sk-proj-", "openai", CredentialKind.API_KEY, "OpenAI project API key"),
      new Shape("sk-svcacct-", "openai", CredentialKind.API_KEY, "OpenAI service-account API key"),
      new Shape("sk-admin-", "openai", CredentialKind.API_KEY, "OpenAI Admin API key"),
      new Shape("gsk_", "groq", CredentialKind.API_KEY, "Groq API key"),
      new Shape("xai-", "xai", CredentialKind.API_KEY, "xAI API key"),
      new Shape("AIza", "google", CredentialKind.API_KEY, "Google (Gemini) API key"),
      new Shape("github_pat_", "github-copilot", CredentialKind.TOKEN, "GitHub token"),
      new Shape("ghp_", "github-copilot", CredentialKind.TOKEN, "GitHub token"),
      new Shape("gho_", "github-copilot", CredentialKind.TOKEN, "GitHub token"));

  /** The known shape {@code secret} has, if any. */
  public static Optional<Shape> detect(String secret) {
    String s = secret == null ? "" : secret.trim();
    for (Shape shape : SHAPES) {
      if (s.startsWith(shape.prefix())) {
        return Optional.of(shape);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a secret about to be stored as {@code kind} for {@code provider}. Returns the reason it
   * is refused, or empty when it may be stored. The message never contains the secret, only the
   * prefix that identified it.
   *
   * @param agentSuffix {@code ""} or {@code " --agent <id>"}, appended to suggested commands
   */
  public static Optional<String> problem(String provider, CredentialKind kind, String secret,
      String agentSuffix) {
    String p = Providers.normalize(provider);
    String s = secret == null ? "" : secret.trim();
    String what = kind == CredentialKind.TOKEN ? "token" : "API key";
    if (s.isEmpty()) {
      return Optional.of("Required: the " + what + " is empty; nothing was stored.");
    }
    if (s.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return Optional.of("The " + what + " contains spaces or line breaks; paste only the "
          + what + " itself.");
    }
    Optional<Shape> shape = detect(s);
    if (shape.isPresent()) {
      Shape sh = shape.get();
      boolean sameProvider = Providers.same(sh.provider(), p);
      if (sh.name().contains("Admin")) {
        return Optional.of("This is an " + sh.name() + " (" + sh.prefix() + "…); it cannot call models."
            + " Create a regular API key and store it with `" + new Shape("", sh.provider(),
                CredentialKind.API_KEY, "").command(agentSuffix) + "`.");
      }
      if (!sameProvider || sh.kind() != kind) {
        String article = "AEIOU".indexOf(sh.name().charAt(0)) >= 0 ? "an " : "a ";
        String target = sameProvider ? "not a " + what : "not " + articleFor(p) + p + " " + what;
        return Optional.of("This is " + article + sh.name() + " (" + sh.prefix() + "…), " + target
            + ": store it with `" + sh.command(agentSuffix) + "`.");
      }
    }
    if (p.equals("anthropic")) {
      if (kind == CredentialKind.TOKEN) {
        if (!s.startsWith(SETUP_TOKEN_PREFIX)) {
          return Optional.of(genericSk(s, agentSuffix).orElse(
              "Expected token starting with " + SETUP_TOKEN_PREFIX + " (made by `claude setup-token`)."));
        }
        if (s.length() < SETUP_TOKEN_MIN_LENGTH) {
          return Optional.of("Token looks too short; paste the full setup-token ("
              + s.length() + " characters, at least " + SETUP_TOKEN_MIN_LENGTH + " expected).");
        }
      } else if (!s.startsWith(ANTHROPIC_API_KEY_MARK)) {
        return Optional.of(genericSk(s, agentSuffix).orElse("Expected an Anthropic API key starting with "
            + ANTHROPIC_API_KEY_PREFIX + " (console.anthropic.com > API keys)."));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> genericSk(String s, String agentSuffix) {
    if (s.startsWith("sk-") && !s.startsWith(ANTHROPIC_PREFIX)) {
      return Optional.of("This looks like an OpenAI-style API key (sk-…), not an Anthropic credential:"
          + " store it with `clawauth models auth paste-api-key --provider <its provider>" + agentSuffix
          + "`.");
    }
    return Optional.empty();
  }

  private static String articleFor(String word) {
    return !word.isEmpty() && "aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ";
  }
}
