package dev.clawauth.oauth;

import static dev.clawauth.credentials.KeyShapes.ANTHROPIC_API_KEY_PREFIX;
import static dev.clawauth.credentials.KeyShapes.SETUP_TOKEN_MIN_LENGTH;
import static dev.clawauth.credentials.KeyShapes.SETUP_TOKEN_PREFIX;

import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;

/**
 * The two Anthropic logins that are a paste: a subscription token from {@code claude setup-token}
 * (stored as a {@code token} profile) and an API key (an {@code api_key} profile). The input is
 * read without echo and checked for its shape before anything is stored.
 */
public abstract sealed class AnthropicTokenLogin implements LoginProvider {
  @Override
  public String provider() {
    return "anthropic";
  }

  /** The setup-token flow, the default for {@code --provider anthropic}. */
  public static final class SetupToken extends AnthropicTokenLogin {
    @Override
    public String method() {
      return "setup-token";
    }

    @Override
    public String description() {
      return "Claude subscription token: run `claude setup-token` anywhere, paste the token";
    }

    @Override
    public LoginResult login(LoginSession s) throws LoginException, IOException {
      s.prompter().info("Run `claude setup-token` (Claude Code) on any machine, then paste the token it prints.");
      String t = read(s, "Paste the setup-token: ");
      String problem = checkSetupToken(t);
      if (problem != null) {
        throw new LoginException(problem + ". Nothing was saved.");
      }
      return new LoginResult("anthropic:default", new Credential.Token("anthropic", new Secret(t), 0, null),
          "token", "anthropic/claude-opus-4-5");
    }
  }

  /** The API-key flow. */
  public static final class ApiKey extends AnthropicTokenLogin {
    @Override
    public String method() {
      return "api-key";
    }

    @Override
    public boolean isDefault() {
      return false;
    }

    @Override
    public String description() {
      return "Anthropic API key (" + ANTHROPIC_API_KEY_PREFIX + "...)";
    }

    @Override
    public LoginResult login(LoginSession s) throws LoginException, IOException {
      String k = read(s, "Paste the Anthropic API key: ");
      if (k.isEmpty()) {
        throw new LoginException("Required: no API key was given. Nothing was saved.");
      }
      if (!k.startsWith(ANTHROPIC_API_KEY_PREFIX)) {
        throw new LoginException("Expected an API key starting with " + ANTHROPIC_API_KEY_PREFIX
            + " (a setup-token goes through --method setup-token). Nothing was saved.");
      }
      return new LoginResult("anthropic:default", new Credential.ApiKey("anthropic", new Secret(k), null),
          "api_key", "anthropic/claude-opus-4-5");
    }
  }

  static String read(LoginSession s, String prompt) throws IOException {
    String v = s.prompter().readSecret(prompt);
    return v == null ? "" : v.trim();
  }

  /** The checks later releases make on paste (spec oauth.md); null when the token looks right. */
  static String checkSetupToken(String t) {
    if (t.isEmpty()) {
      return "Required";
    }
    if (!t.startsWith(SETUP_TOKEN_PREFIX)) {
      return "Expected token starting with " + SETUP_TOKEN_PREFIX;
    }
    if (t.length() < SETUP_TOKEN_MIN_LENGTH) {
      return "Token looks too short; paste the full setup-token";
    }
    return null;
  }
}
