package dev.clawauth.oauth;

/**
 * A login that did not produce a credential. The message is one readable line for the user and
 * never contains a token, code or key. Nothing has been written when it is thrown.
 */
public class LoginException extends Exception {

  public LoginException(String message) {
    super(message);
  }

  public LoginException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The authorization server sent {@code error=…} back instead of a code. */
  static LoginException denied(String error, String description) {
    String what = "access_denied".equals(error) ? "Authorization was denied in the browser"
        : "The authorization server refused the login";
    String detail = description == null || description.isBlank() ? "" : ": " + Sanitize.shortText(description);
    return new LoginException(what + " (" + Sanitize.shortText(error) + ")" + detail + ". Nothing was saved.");
  }
}
