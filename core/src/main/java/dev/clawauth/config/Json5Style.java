package dev.clawauth.config;

import dev.clawauth.config.Json5Spans.Container;
import dev.clawauth.config.Json5Spans.Item;

/**
 * How a config file is written, read off the file itself, so that what an edit adds looks like what
 * the user wrote around it. A file OpenClaw wrote (JSON.stringify with two spaces) reads as quoted
 * keys, no trailing commas and no one-line objects, and edits to it come out as OpenClaw's would.
 *
 * @param newline {@code \n} or {@code \r\n}, as the first line ends
 * @param indent one level of indentation
 * @param unquotedKeys whether keys that are identifiers are written without quotes
 * @param trailingCommas whether the last member of a multi-line object or array has a comma
 * @param inlineContainers whether the file has non-empty objects or arrays on one line
 * @param padObjects whether a one-line object has spaces inside its braces ({@code { a: 1 }})
 * @param padArrays whether a one-line array has spaces inside its brackets
 */
record Json5Style(String newline, String indent, boolean unquotedKeys, boolean trailingCommas,
    boolean inlineContainers, boolean padObjects, boolean padArrays) {

  static Json5Style detect(String text, Container root) {
    Counts n = new Counts();
    n.walk(text, root);
    int lf = text.indexOf('\n');
    return new Json5Style(lf > 0 && text.charAt(lf - 1) == '\r' ? "\r\n" : "\n",
        n.indent == null ? "  " : n.indent,
        n.unquoted > n.quoted,
        n.trailing > n.notTrailing,
        n.paddedObjects + n.tightObjects + n.paddedArrays + n.tightArrays > 0,
        n.paddedObjects >= n.tightObjects,
        n.paddedArrays > n.tightArrays);
  }

  private static final class Counts {
    String indent;
    int unquoted;
    int quoted;
    int trailing;
    int notTrailing;
    int paddedObjects;
    int tightObjects;
    int paddedArrays;
    int tightArrays;

    void walk(String text, Container c) {
      if (!c.items().isEmpty()) {
        Item first = c.items().getFirst();
        Item last = c.items().getLast();
        if (Json5Spans.oneLine(text, c.start(), c.end())) {
          boolean padded = text.charAt(c.start() + 1) == ' ';
          if (c.array()) {
            paddedArrays += padded ? 1 : 0;
            tightArrays += padded ? 0 : 1;
          } else {
            paddedObjects += padded ? 1 : 0;
            tightObjects += padded ? 0 : 1;
          }
        } else if (Json5Spans.startsLine(text, last.start()) && Json5Spans.restOfLine(text, last.end()) >= 0) {
          trailing += last.comma() >= 0 ? 1 : 0;
          notTrailing += last.comma() >= 0 ? 0 : 1;
          if (indent == null && Json5Spans.startsLine(text, first.start())) {
            String outer = Json5Spans.indentOf(text, c.start());
            String inner = Json5Spans.indentOf(text, first.start());
            if (inner.length() > outer.length() && inner.startsWith(outer)) {
              indent = inner.substring(outer.length());
            }
          }
        }
      }
      for (Item item : c.items()) {
        if (item.key() != null && Json5Render.isIdentifier(item.key())) {
          unquoted += item.keyQuoted() ? 0 : 1;
          quoted += item.keyQuoted() ? 1 : 0;
        }
        if (item.value() instanceof Container inner) {
          walk(text, inner);
        }
      }
    }
  }
}
