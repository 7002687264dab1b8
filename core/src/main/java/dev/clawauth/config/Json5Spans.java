package dev.clawauth.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each key and value of a JSON5 text is, as character offsets, so an edit can splice the text
 * instead of re-serialising the tree. It only finds spans: values are left as text, and the dialect
 * is the one {@code Json.parseJson5} reads ({@code //}, {@code /* *}{@code /} and {@code #}
 * comments, unquoted keys, single quotes, trailing commas). Text it cannot follow is reported as
 * {@link Unreadable}; callers then fall back to writing the whole tree.
 */
final class Json5Spans {
  private Json5Spans() {}

  /** A value's text is {@code [start, end)}. */
  sealed interface Value permits Container, Scalar {
    int start();

    int end();
  }

  /** An object or array from its opening to just past its closing bracket. */
  record Container(int start, int end, boolean array, List<Item> items) implements Value {}

  record Scalar(int start, int end) implements Value {}

  /**
   * A member of an object or an element of an array. {@code start} is where the key (or, in an array,
   * the value) begins; {@code key} is the decoded key, null in arrays; {@code comma} is the offset of
   * the comma that follows, -1 when there is none.
   */
  record Item(int start, String key, boolean keyQuoted, Value value, int comma) {
    /** Just past the item: its comma, or its value when it has none. */
    int end() {
      return comma >= 0 ? comma + 1 : value.end();
    }
  }

  /** The text is not JSON5 this class follows. */
  static final class Unreadable extends RuntimeException {
    Unreadable(String what, int at) {
      super(what + " at offset " + at, null, false, false);
    }
  }

  /** The spans of a text whose top level is an object (a byte order mark must be removed first). */
  static Container parse(String text) {
    Lexer lexer = new Lexer(text);
    lexer.pos = skipTrivia(text, 0);
    if (lexer.pos >= text.length() || text.charAt(lexer.pos) != '{') {
      throw new Unreadable("no top-level object", lexer.pos);
    }
    Container root = (Container) lexer.value();
    if (skipTrivia(text, root.end()) != text.length()) {
      throw new Unreadable("text after the top-level object", root.end());
    }
    return root;
  }

  // ---- text helpers shared with the editor

  /** The offset of the first character after white space and comments from {@code pos}. */
  static int skipTrivia(String s, int pos) {
    int p = pos;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        p++;
      } else {
        int after = skipComment(s, p);
        if (after == p) {
          return p;
        }
        p = after;
      }
    }
    return p;
  }

  /** Past the comment starting at {@code pos}, or {@code pos} when none starts there. */
  private static int skipComment(String s, int pos) {
    char c = s.charAt(pos);
    char next = pos + 1 < s.length() ? s.charAt(pos + 1) : 0;
    if (c == '#' || (c == '/' && next == '/')) {
      int p = pos;
      while (p < s.length() && s.charAt(p) != '\n' && s.charAt(p) != '\r') {
        p++;
      }
      return p;
    }
    if (c == '/' && next == '*') {
      int close = s.indexOf("*/", pos + 2);
      if (close < 0) {
        throw new Unreadable("unterminated comment", pos);
      }
      return close + 2;
    }
    return pos;
  }

  /**
   * Where the line of {@code pos} ends (its {@code \r} or {@code \n}, or the end of the text) when only
   * white space and comments follow {@code pos} on it; -1 when another token does. A block comment
   * that runs onto later lines counts as part of this line.
   */
  static int restOfLine(String s, int pos) {
    int p = pos;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c == '\n' || c == '\r') {
        return p;
      }
      if (c == ' ' || c == '\t') {
        p++;
      } else {
        int after = skipComment(s, p);
        if (after == p) {
          return -1;
        }
        p = after;
      }
    }
    return p;
  }

  /** Just past the line break at {@code lineEnd} (as returned by {@link #restOfLine}). */
  static int nextLine(String s, int lineEnd) {
    if (lineEnd < s.length() && s.charAt(lineEnd) == '\r') {
      lineEnd++;
    }
    return lineEnd < s.length() && s.charAt(lineEnd) == '\n' ? lineEnd + 1 : lineEnd;
  }

  static int lineStart(String s, int pos) {
    int p = pos;
    while (p > 0 && s.charAt(p - 1) != '\n' && s.charAt(p - 1) != '\r') {
      p--;
    }
    return p;
  }

  /** The spaces and tabs that open the line of {@code pos}. */
  static String indentOf(String s, int pos) {
    int start = lineStart(s, pos);
    int p = start;
    while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
      p++;
    }
    return s.substring(start, p);
  }

  /** Whether {@code pos} is the first thing on its line. */
  static boolean startsLine(String s, int pos) {
    return s.substring(lineStart(s, pos), pos).isBlank();
  }

  static boolean oneLine(String s, int from, int to) {
    for (int p = from; p < to; p++) {
      if (s.charAt(p) == '\n' || s.charAt(p) == '\r') {
        return false;
      }
    }
    return true;
  }

  static boolean isBlank(String s, int from, int to) {
    return from >= to || s.substring(from, to).isBlank();
  }

  private static final class Lexer {
    private final String s;
    private int pos;

    Lexer(String s) {
      this.s = s;
    }

    /** Reads the value at {@code pos} (no trivia before it) and leaves {@code pos} just past it. */
    Value value() {
      if (pos >= s.length()) {
        throw new Unreadable("missing value", pos);
      }
      char c = s.charAt(pos);
      if (c == '{' || c == '[') {
        return container(c == '[');
      }
      int start = pos;
      if (c == '"' || c == '\'') {
        string();
      } else {
        word();
      }
      return new Scalar(start, pos);
    }

    private Container container(boolean array) {
      int start = pos++;
      char close = array ? ']' : '}';
      List<Item> items = new ArrayList<>();
      while (true) {
        pos = skipTrivia(s, pos);
        if (pos >= s.length()) {
          throw new Unreadable("unclosed " + (array ? "array" : "object"), start);
        }
        if (s.charAt(pos) == close) {
          pos++;
          return new Container(start, pos, array, List.copyOf(items));
        }
        int itemStart = pos;
        String key = null;
        boolean quoted = false;
        if (!array) {
          quoted = s.charAt(pos) == '"' || s.charAt(pos) == '\'';
          key = quoted ? string() : word();
          pos = skipTrivia(s, pos);
          if (pos >= s.length() || s.charAt(pos) != ':') {
            throw new Unreadable("missing ':'", pos);
          }
          pos = skipTrivia(s, pos + 1);
        }
        Value v = value();
        pos = skipTrivia(s, pos);
        int comma = -1;
        if (pos < s.length() && s.charAt(pos) == ',') {
          comma = pos++;
        } else if (pos >= s.length() || s.charAt(pos) != close) {
          throw new Unreadable("missing ',' or '" + close + "'", pos);
        }
        items.add(new Item(itemStart, key, quoted, v, comma));
      }
    }

    /** A quoted string at {@code pos}, decoded. */
    private String string() {
      char quote = s.charAt(pos);
      int start = pos++;
      StringBuilder out = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == quote) {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw new Unreadable("short \\u escape", pos);
            }
            try {
              out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException bad) {
              throw new Unreadable("bad \\u escape", pos);
            }
            pos += 4;
          }
          default -> out.append(e);
        }
      }
      throw new Unreadable("unterminated string", start);
    }

    /** An unquoted key, number or literal: everything up to white space, punctuation or a comment. */
    private String word() {
      int start = pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '{' || c == '}'
            || c == '[' || c == ']' || c == '"' || c == '\'' || skipComment(s, pos) != pos) {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw new Unreadable("unexpected '" + s.charAt(pos) + "'", pos);
      }
      return s.substring(start, pos);
    }
  }
}
