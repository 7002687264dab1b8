package dev.clawauth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenClaw's {@code ${VAR}} references in config string values ({@code apiKey: "${MINIMAX_API_KEY}"},
 * {@code baseUrl: "${BASE}/v1"}): upper-case names only, {@code $${VAR}} for a literal
 * {@code ${VAR}}. A reference to a variable that is unset or empty leaves the value unresolved, and
 * an unresolved value is not used: taken literally it would be a wrong URL, or a token anyone
 * could guess.
 */
public final class EnvRefs {
  private EnvRefs() {}

  private static final Pattern REF = Pattern.compile("(\\$?)\\$\\{([A-Z_][A-Z0-9_]*)}");

  /** A value with its references resolved, or the names of the variables it lacks. */
  public record Resolved(String value, List<String> missing) {
    public boolean ok() {
      return missing.isEmpty();
    }

    public Optional<String> asOptional() {
      return ok() ? Optional.of(value) : Optional.empty();
    }

    /** The missing references as written: "${A}, ${B}". */
    public String references() {
      return String.join(", ", missing.stream().map(n -> "${" + n + "}").toList());
    }

    /** "refers to ${A}, which is not set …", for a value that could not be resolved. */
    public String unset() {
      return "refers to " + references()
          + (missing.size() == 1 ? ", which is" : ", which are") + " not set (environment, <state>/.env or the"
          + " config's env block)";
    }
  }

  public static Resolved resolve(String raw, Function<String, Optional<String>> lookup) {
    if (raw.indexOf("${") < 0) {
      return new Resolved(raw, List.of());
    }
    Matcher m = REF.matcher(raw);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      String replacement;
      if (!m.group(1).isEmpty()) {
        replacement = "${" + m.group(2) + "}";
      } else {
        Optional<String> v = lookup.apply(m.group(2)).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
          missing.add(m.group(2));
          replacement = m.group();
        } else {
          replacement = v.get();
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Resolved(out.toString(), List.copyOf(missing));
  }

  /** A key written as a variable's bare name, as the agent's models.json allows. */
  private static final Pattern BARE_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

  /**
   * {@code models.providers.<id>.apiKey} resolved: its references, or a bare variable name, looked
   * up; empty when none is configured.
   */
  public static Optional<Resolved> providerApiKey(ClawConfig config, String provider,
      Function<String, Optional<String>> lookup) {
    return config.providerApiKey(provider).map(raw ->
        resolve(BARE_NAME.matcher(raw).matches() ? "${" + raw + "}" : raw, lookup));
  }
}
