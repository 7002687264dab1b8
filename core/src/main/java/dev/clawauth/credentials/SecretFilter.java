package dev.clawauth.credentials;

import dev.clawauth.store.Secret;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What text from outside (a provider's error, a token endpoint's answer) may say once it is shown
 * to a client, a log or an operator: providers echo the key they were sent ("Incorrect API key
 * provided: sk-…"). Every secret known to have been sent is masked, and so is every run of
 * characters shaped like a key or token, known or not.
 */
public final class SecretFilter {
  private SecretFilter() {}

  /** The longest provider message shown; the rest of a long one is cut. */
  public static final int SHORT = 200;

  private static final Pattern KEY_LIKE = Pattern.compile(String.join("|",
      // Prefixed keys: sk-ant-…, sk-proj-…, sk-or-v1-…, rk_live_…, gsk_…, xai-…, AIza…
      "(?<![A-Za-z0-9])(?:sk|rk|pk|gsk|xai|ghp|gho|github_pat)[-_][A-Za-z0-9_\\-]{8,}",
      "AIza[A-Za-z0-9_\\-]{20,}",
      // JWTs (OAuth access tokens).
      "eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}(?:\\.[A-Za-z0-9_\\-]*)?",
      // Long hex, and long mixed-case runs with digits: random keys and tokens of any provider.
      "(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])",
      "(?<![A-Za-z0-9_\\-+/=])(?=[A-Za-z0-9_\\-+/=]*[0-9])(?=[A-Za-z0-9_\\-+/=]*[a-z])"
          + "(?=[A-Za-z0-9_\\-+/=]*[A-Z])[A-Za-z0-9_\\-+/=]{20,}"));

  /** {@code text} with every value of {@code known} and every key-shaped run masked. */
  public static String scrub(String text, Collection<String> known) {
    if (text == null || text.isEmpty()) {
      return text == null ? "" : text;
    }
    String out = text;
    for (String k : known) {
      if (k != null && k.strip().length() >= 8) {
        out = out.replace(k.strip(), Secret.mask(k));
      }
    }
    Matcher m = KEY_LIKE.matcher(out);
    StringBuilder b = new StringBuilder(out.length());
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(Secret.mask(m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** {@link #scrub}, on one line without control characters, at most {@link #SHORT} characters. */
  public static String shortMessage(String text, Collection<String> known) {
    String oneLine = text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
    // Masked before it is cut, so that a cut cannot leave a key too short to be recognised.
    String safe = scrub(oneLine, known);
    return safe.length() <= SHORT ? safe : safe.substring(0, SHORT - 3) + "...";
  }
}
