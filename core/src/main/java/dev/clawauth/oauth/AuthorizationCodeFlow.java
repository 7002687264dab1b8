package dev.clawauth.oauth;

import java.io.IOException;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user-facing half of a PKCE login shared by the built-in providers: print (and maybe open) the
 * authorize URL, then take the code from the loopback callback or from the user's paste.
 */
public final class AuthorizationCodeFlow {
  private AuthorizationCodeFlow() {}

  /** The authorize URL: {@code base} plus the query parameters, in the given order. */
  public static String authorizeUrl(String base, Map<String, String> params) {
    return base + (base.contains("?") ? "&" : "?") + UrlForms.encode(params);
  }

  /** The standard PKCE authorize parameters; providers add their own after these. */
  public static Map<String, String> pkceParams(OAuthEndpoints ep, Pkce pkce) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("response_type", "code");
    p.put("client_id", ep.clientId());
    p.put("redirect_uri", ep.redirectUri());
    p.put("scope", ep.scope());
    p.put("code_challenge", pkce.challenge());
    p.put("code_challenge_method", "S256");
    p.put("state", pkce.state());
    return p;
  }

  /**
   * Gets the authorization code for {@code url}. With a loopback redirect and a local desktop it
   * listens for the browser's redirect; with {@code --paste}, on a remote or headless host, or when
   * the port is busy, it asks the user to paste the redirect URL.
   */
  public static String obtainCode(LoginSession s, String url, String redirectUri, Pkce pkce,
      boolean loopback) throws LoginException, IOException {
    Prompter p = s.prompter();
    String remote = RemoteHost.reason(s.environment());
    boolean local = loopback && isLoopbackHttp(redirectUri);
    String pasteWhy = s.options().paste() ? "--paste was given"
        : !loopback ? null
        : !local ? "the redirect URI " + redirectUri + " is not a loopback http address"
        : remote != null ? "this looks like " + remote
        : null;
    if (loopback && pasteWhy == null) {
      CallbackServer started;
      try {
        started = CallbackServer.start(redirectUri, pkce.state());
      } catch (BindException busy) {
        started = null;
        pasteWhy = "the callback port " + portOf(redirectUri) + " is in use";
      }
      if (started != null) {
        try (CallbackServer server = started) {
          p.info("Open this URL in your browser to log in:");
          p.info("");
          p.info("  " + url);
          p.info("");
          if (s.options().openBrowser() && Browser.open(url)) {
            p.info("(A browser window was opened. If it did not appear, open the URL above yourself.)");
          }
          p.info("Waiting for the browser to return to " + redirectUri + " (up to "
              + minutes(s.options().timeout()) + ")...");
          p.info("(Browser on another machine? Stop with Ctrl-C and run again with --paste.)");
          return server.await(s.options().timeout());
        }
      }
    }
    if (pasteWhy != null) {
      p.info("Paste mode: " + pasteWhy + ".");
    }
    p.info("1. Open this URL in a browser on any machine where you can log in:");
    p.info("");
    p.info("  " + url);
    p.info("");
    p.info("2. Log in and approve. The browser then goes to " + redirectUri + "?code=...");
    p.info("   (that page may fail to load on this machine - that is expected).");
    p.info("3. Copy the whole address from the browser's address bar and paste it below.");
    String pasted = p.readSecret("Paste the redirect URL (or the code; input is hidden): ");
    return PastedCode.parse(pasted).checkState(pkce.state()).code();
  }

  /** Only http://localhost or 127.0.0.1 can be answered by a listener on this machine. */
  static boolean isLoopbackHttp(String uri) {
    try {
      java.net.URI u = java.net.URI.create(uri);
      String host = u.getHost() == null ? "" : u.getHost();
      return "http".equalsIgnoreCase(u.getScheme())
          && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String minutes(java.time.Duration d) {
    long s = d.toSeconds();
    return s >= 60 && s % 60 == 0 ? (s / 60) + " min" : s + " s";
  }

  private static int portOf(String redirectUri) {
    int port = java.net.URI.create(redirectUri).getPort();
    return port > 0 ? port : 80;
  }
}
