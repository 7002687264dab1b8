package dev.clawauth.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A {@code postgresql://user@host:port/database?options} address, as libpq writes it. A password
 * in it is refused: the config is readable by more people and programs than a secret should be.
 *
 * @param query the options after {@code ?} (for example {@code sslmode=verify-full}), passed on to the driver
 */
public record PgUrl(String user, String host, int port, String database, String query) {

  public static PgUrl parse(String text) {
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
      // Not quoted: a libpq keyword string ("host=… password=…") is the likeliest thing here.
      throw new IllegalArgumentException("store.url must be an address that starts with postgresql://"
          + " (libpq keyword strings and jdbc: URLs are not read)");
    }
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("store.url is not a valid address: " + e.getReason());
    }
    String info = uri.getRawUserInfo();
    String query = uri.getRawQuery();
    // password=, sslpassword= and whatever other option a driver may take a secret from.
    boolean inQuery = query != null && java.util.Arrays.stream(query.split("&"))
        .anyMatch(o -> o.split("=", 2)[0].toLowerCase(Locale.ROOT).contains("password"));
    if ((info != null && info.contains(":")) || inQuery) {
      throw new IllegalArgumentException("store.url holds a password; keep it out of the config: put it in the file"
          + " store.passwordFile names, or in $" + PostgresSettings.DEFAULT_PASSWORD_ENV);
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("store.url has no host (" + scrub(t) + ")");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    String user = uri.getUserInfo();
    return new PgUrl(user == null || user.isBlank() ? null : user, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
        path.isBlank() ? (user == null ? "postgres" : user) : path, query);
  }

  /** What a mistyped URL may show without a secret in it: neither the part before an {@code @} nor the options. */
  private static String scrub(String t) {
    int q = t.indexOf('?');
    String s = q < 0 ? t : t.substring(0, q) + "?…";
    int at = s.lastIndexOf('@');
    return at < 0 ? s : "…" + s.substring(at);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
  }

  /** How messages name the database: never with a password, which this address cannot hold. */
  public String display() {
    return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return display();
  }
}
