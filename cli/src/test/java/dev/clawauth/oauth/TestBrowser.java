package dev.clawauth.oauth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The browser of a test: visits the authorize URL and follows (or just reads) its redirect. */
public final class TestBrowser {
  private TestBrowser() {}

  /** Visits {@code url} and follows the redirect to the callback; returns the callback's answer. */
  public static HttpResponse<String> visit(String url) throws Exception {
    try (HttpClient c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
      return c.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Visits {@code url} and returns where it redirects, as a user would copy from the address bar. */
  public static String redirectOf(String url) {
    try (HttpClient c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.headers().firstValue("Location").orElseThrow();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
