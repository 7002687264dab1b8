package dev.clawauth.oauth;

import java.net.URI;
import java.util.Map;

/**
 * What the user pasted back after authorizing in a browser: the full redirect URL, {@code code#state},
 * a query string {@code code=…&state=…}, or the bare code. {@code state} is null when the input did
 * not carry one.
 */
public record PastedCode(String code, String state) {

  /**
   * Parses pasted text.
   *
   * @throws LoginException on empty input, or when the redirect carries an OAuth error instead
   */
  public static PastedCode parse(String input) throws LoginException {
    String t = input == null ? "" : input.trim();
    if (t.isEmpty()) {
      throw new LoginException("Nothing was pasted; the login was cancelled.");
    }
    if (t.startsWith("http://") || t.startsWith("https://")) {
      URI uri;
      try {
        uri = URI.create(t);
      } catch (IllegalArgumentException e) {
        throw new LoginException("The pasted URL is not valid; paste the whole address from the browser's address bar.");
      }
      return fromQuery(UrlForms.decode(uri.getRawQuery()));
    }
    if (t.contains("code=") || t.contains("error=")) {
      return fromQuery(UrlForms.decode(t.startsWith("?") ? t.substring(1) : t));
    }
    int hash = t.indexOf('#');
    if (hash >= 0) {
      String code = t.substring(0, hash).trim();
      String state = t.substring(hash + 1).trim();
      if (code.isEmpty()) {
        throw new LoginException("The pasted text has no authorization code before '#'.");
      }
      return new PastedCode(code, state.isEmpty() ? null : state);
    }
    return new PastedCode(t, null);
  }

  private static PastedCode fromQuery(Map<String, String> q) throws LoginException {
    String error = q.get("error");
    if (error != null && !error.isBlank()) {
      throw LoginException.denied(error, q.get("error_description"));
    }
    String code = q.get("code");
    if (code == null || code.isBlank()) {
      throw new LoginException("The pasted URL has no authorization code (no \"code\" parameter).");
    }
    String state = q.get("state");
    return new PastedCode(code.trim(), state == null || state.isBlank() ? null : state.trim());
  }

  /** Fails the login when a state came back and is not the one sent. */
  public PastedCode checkState(String expected) throws LoginException {
    if (state != null && !state.equals(expected)) {
      throw new LoginException("State mismatch: the pasted code belongs to another login attempt. Start the login again.");
    }
    return this;
  }

  @Override
  public String toString() {
    return "PastedCode[state=" + state + "]";
  }
}
