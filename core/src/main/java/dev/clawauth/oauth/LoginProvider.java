package dev.clawauth.oauth;

import java.io.IOException;

/**
 * A way to log in to a model provider, found with {@link java.util.ServiceLoader}: a jar on the
 * class path that lists an implementation in {@code META-INF/services/dev.clawauth.oauth.LoginProvider}
 * adds one. A provider may offer several methods (Anthropic: a setup-token, an API key); the first
 * one found for a provider, in class-path order, with {@link #isDefault()} true is its default.
 *
 * <pre>{@code
 * public final class MyLogin implements LoginProvider {
 *   public String provider() { return "acme"; }
 *   public String method() { return "api-key"; }
 *   public String description() { return "Paste an Acme API key"; }
 *   public LoginResult login(LoginSession s) throws LoginException, IOException { ... }
 * }
 * }</pre>
 */
public interface LoginProvider {

  /** The provider id the credential is for, as in {@code <provider>/<model>}. */
  String provider();

  /** The flow's name within the provider, e.g. {@code oauth}, {@code setup-token}, {@code api-key}. */
  String method();

  /** One line for help output. */
  String description();

  /** Whether this is the flow {@code --provider} alone runs. */
  default boolean isDefault() {
    return true;
  }

  /**
   * Runs the flow with the user and returns the credential; stores nothing itself.
   *
   * @throws LoginException when the flow fails or is refused; the message is for the user
   */
  LoginResult login(LoginSession session) throws LoginException, IOException;
}
