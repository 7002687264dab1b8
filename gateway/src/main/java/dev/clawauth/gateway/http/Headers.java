package dev.clawauth.gateway.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP header fields with case-insensitive names, kept lower case, in arrival order. */
public final class Headers {
  private final Map<String, List<String>> map = new LinkedHashMap<>();

  private static String key(String name) {
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch >= 'A' && ch <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /** Whether {@code name} is a token (RFC 9110 5.6.2), the only thing a field name may be. */
  public static boolean isToken(String name) {
    return token(name, 0, name.length());
  }

  /** Whether {@code value} may be a field value: no control byte but HTAB (RFC 9110 5.5). */
  public static boolean isValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    List<String> v = map.get(key(name));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public boolean has(String name) {
    return map.containsKey(key(name));
  }

  public List<String> all(String name) {
    List<String> v = map.get(key(name));
    return v == null ? List.of() : Collections.unmodifiableList(v);
  }

  public void add(String name, String value) {
    map.computeIfAbsent(key(name), k -> new ArrayList<>(1)).add(value);
  }

  /** Replaces every value of {@code name}. */
  public void set(String name, String value) {
    List<String> one = new ArrayList<>(1);
    one.add(value);
    map.put(key(name), one);
  }

  public void set(String name, List<String> values) {
    map.put(key(name), new ArrayList<>(values));
  }

  public void remove(String name) {
    map.remove(key(name));
  }

  /** A read-only view, names lower case. */
  public Map<String, List<String>> asMap() {
    return Collections.unmodifiableMap(map);
  }

  /** RFC 9110 5.1: whether {@code s} from {@code from} to {@code to} is a token, as a field name must be. */
  static boolean token(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a comma-separated header carries {@code token}, ignoring case. */
  public boolean hasToken(String name, String token) {
    return hasToken(map.get(key(name)), token);
  }

  /**
   * Whether any of {@code values} (a comma-separated header's values, or null) carries {@code token},
   * ignoring case and the whitespace around it; for a header map that is not a {@link Headers}.
   */
  public static boolean hasToken(List<String> values, String token) {
    if (values == null) {
      return false;
    }
    for (String v : values) {
      int start = 0;
      while (start <= v.length()) {
        int comma = v.indexOf(',', start);
        int end = comma < 0 ? v.length() : comma;
        // As trim() and equalsIgnoreCase would, without a string per element: this runs per request.
        int from = start;
        int to = end;
        while (from < to && v.charAt(from) <= ' ') {
          from++;
        }
        while (to > from && v.charAt(to - 1) <= ' ') {
          to--;
        }
        if (to - from == token.length() && v.regionMatches(true, from, token, 0, to - from)) {
          return true;
        }
        start = end + 1;
      }
    }
    return false;
  }
}
