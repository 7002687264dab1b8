package dev.clawauth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.select.FailureReason;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * POSTs to an OAuth token endpoint, form-encoded (OpenAI) or as JSON (Anthropic), and turns the
 * answer into a {@link TokenResponse} or a classified {@link TokenEndpointException}.
 */
public final class TokenClient {
  /** How long one token request may take before it counts as a transient timeout. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** OAuth error codes that mean the grant is gone, not that the server had a bad moment. */
  private static final Set<String> TERMINAL_ERRORS = Set.of("invalid_grant", "invalid_token",
      "unauthorized_client", "access_denied", "invalid_client");

  private TokenClient() {}

  /** The useful part of a successful answer. */
  public record TokenResponse(String accessToken, String refreshToken, long expiresInSeconds,
      String idToken) {
    @Override
    public String toString() {
      return "TokenResponse[expiresIn=" + expiresInSeconds + "s]";
    }

    /** {@code current} with these tokens; a server that does not rotate keeps the old refresh token. */
    public Credential.OAuth renew(Credential.OAuth current, long expires, String accountId) {
      return new Credential.OAuth(current.provider(), new Secret(accessToken),
          refreshToken == null ? current.refresh() : new Secret(refreshToken), expires,
          accountId == null ? current.accountId() : accountId, current.email(), null);
    }
  }

  /** One token request; lets login flows share the exchange's error handling. */
  @FunctionalInterface
  public interface Request {
    TokenResponse send() throws TokenEndpointException, IOException;
  }

  /**
   * Exchanges an authorization code: any failure, or an answer without a refresh token, ends the
   * login with a message saying that nothing was saved.
   */
  public static TokenResponse exchangeCode(Request request) throws LoginException, IOException {
    TokenResponse t;
    try {
      t = request.send();
    } catch (TokenEndpointException e) {
      throw new LoginException("The code could not be exchanged for tokens: " + e.getMessage()
          + ". Nothing was saved.", e);
    }
    if (t.refreshToken() == null) {
      throw new LoginException("The token endpoint gave no refresh token. Nothing was saved.");
    }
    return t;
  }

  public static TokenResponse postForm(HttpClient http, String url, Map<String, String> form,
      Duration timeout) throws TokenEndpointException, IOException {
    return send(http, url, "application/x-www-form-urlencoded", UrlForms.encode(form), timeout, secretsOf(form));
  }

  public static TokenResponse postJson(HttpClient http, String url, Map<String, String> body,
      Duration timeout) throws TokenEndpointException, IOException {
    ObjectNode n = Json.object();
    body.forEach(n::put);
    return send(http, url, "application/json", n.toString(), timeout, secretsOf(body));
  }

  /** The fields of a token request that are secrets; the others (grant_type, client_id) are words a message may use. */
  private static java.util.List<String> secretsOf(Map<String, String> fields) {
    return fields.entrySet().stream()
        .filter(e -> Set.of("refresh_token", "code", "code_verifier", "client_secret").contains(e.getKey()))
        .map(Map.Entry::getValue).toList();
  }

  /** {@code sent}: the secrets of the request (a refresh token, a code), masked wherever the answer echoes them. */
  private static TokenResponse send(HttpClient http, String url, String contentType, String body,
      Duration timeout, java.util.Collection<String> sent) throws TokenEndpointException, IOException {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(URI.create(url))
          .timeout(timeout)
          .header("Content-Type", contentType)
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
          .build();
    } catch (IllegalArgumentException badUrl) {
      throw new TokenEndpointException("the token URL \"" + url + "\" is not valid", 0, null, true,
          FailureReason.UNKNOWN, null);
    }
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new TokenEndpointException("the token endpoint did not answer within " + timeout.toSeconds()
          + " s", 0, null, false, FailureReason.TIMEOUT, e);
    } catch (ConnectException e) {
      throw new TokenEndpointException("cannot connect to the token endpoint " + hostOf(url), 0, null,
          false, FailureReason.TIMEOUT, e);
    } catch (IOException e) {
      throw new TokenEndpointException("network error talking to the token endpoint " + hostOf(url)
          + " (" + e.getClass().getSimpleName() + ")", 0, null, false, FailureReason.UNKNOWN, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the token endpoint", e);
    }
    JsonNode json = parse(res.body());
    int status = res.statusCode();
    if (status / 100 != 2) {
      String error = json.path("error").isTextual() ? json.path("error").asText()
          : json.path("error").path("type").asText(null);
      String desc = json.path("error_description").asText(json.path("error").path("message").asText(""));
      boolean terminal = status == 401 || status == 403 || (error != null && TERMINAL_ERRORS.contains(error));
      FailureReason reason = terminal ? FailureReason.AUTH
          : status == 408 ? FailureReason.TIMEOUT
          : status == 429 ? FailureReason.RATE_LIMIT
          : FailureReason.UNKNOWN;
      // The error code is stored (a profile's re-login reason) and shown by status and doctor: a
      // server that echoes the refresh token it refused must not have it kept there.
      String shownError = error == null ? null : Sanitize.shortText(error, sent);
      String msg = "the token endpoint answered HTTP " + status
          + (shownError == null ? "" : " " + shownError)
          + (desc.isBlank() ? "" : ": " + Sanitize.shortText(desc, sent));
      throw new TokenEndpointException(msg, status, shownError, terminal, reason, null);
    }
    String access = json.path("access_token").asText("");
    JsonNode expiresIn = json.path("expires_in");
    if (access.isBlank() || !expiresIn.isNumber()) {
      throw new TokenEndpointException("the token endpoint's answer has no access_token or no numeric expires_in",
          status, null, false, FailureReason.UNKNOWN, null);
    }
    String refresh = json.path("refresh_token").asText("");
    return new TokenResponse(access, refresh.isBlank() ? null : refresh, expiresIn.asLong(),
        json.path("id_token").asText(null));
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = Json.strict().readTree(body == null ? "" : body);
      return n == null ? Json.object() : n;
    } catch (IOException notJson) {
      return Json.object();
    }
  }

  private static String hostOf(String url) {
    try {
      URI u = URI.create(url);
      return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "(invalid URL)";
    }
  }
}
