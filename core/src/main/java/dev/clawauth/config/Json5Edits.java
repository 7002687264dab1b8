package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.Json5Spans.Container;
import dev.clawauth.config.Json5Spans.Item;
import dev.clawauth.config.Json5Spans.Value;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Edits a hand-written JSON5 config in place: only the members that changed are rewritten, so the
 * user's comments, blank lines, key order, quoting, indentation and line endings stay as they were.
 * The result is read back and must give the edited tree; when it does not, or the text holds
 * something this editor does not follow, there is no result and the caller rewrites the file.
 */
final class Json5Edits {
  private Json5Edits() {}

  // Longer one-line values are written over several lines instead.
  private static final int MAX_LINE = 100;

  /** {@code original} (which reads as {@code before}) edited to read as {@code after}, when that can be done in place. */
  static Optional<String> apply(Path file, String original, JsonNode before, JsonNode after) {
    String bom = original.startsWith("\uFEFF") ? "\uFEFF" : "";
    String text = original.substring(bom.length());
    try {
      Json5Style style = Json5Style.detect(text, Json5Spans.parse(text));
      for (Change change : TreeDiff.between(before, after)) {
        text = new Editor(text, style).apply(change);
      }
    } catch (RuntimeException cannot) {
      // Json5Spans.Unreadable, CannotEdit, or a case this editor gets wrong: the caller rewrites the file.
      return Optional.empty();
    }
    String edited = bom + text;
    try {
      return TreeDiff.same(Json.parseJson5(file, edited), after) ? Optional.of(edited) : Optional.empty();
    } catch (JsonFileException e) {
      return Optional.empty();
    }
  }

  /** A change this editor does not make in place. */
  private static final class CannotEdit extends RuntimeException {
    CannotEdit(String what) {
      super(what, null, false, false);
    }
  }

  /** Replaces {@code [start, end)} with {@code text}. */
  private record Splice(int start, int end, String text) {}

  /** Makes one change to a text; each change reads the text afresh, since the previous one moved things. */
  private static final class Editor {
    private final String text;
    private final Json5Style style;
    private final Container root;

    Editor(String text, Json5Style style) {
      this.text = text;
      this.style = style;
      this.root = Json5Spans.parse(text);
    }

    String apply(Change change) {
      List<Change.Step> path = change.path();
      if (path.isEmpty()) {
        throw new CannotEdit("the whole file");
      }
      return switch (change) {
        case Change.Put put -> put(path, put.value());
        case Change.Remove remove -> remove(path);
        case Change.Append append -> append(path, append.values());
      };
    }

    private Container parent(List<Change.Step> path) {
      return container(locate(path.subList(0, path.size() - 1)));
    }

    private Value locate(List<Change.Step> path) {
      Value at = root;
      for (Change.Step step : path) {
        Container c = container(at);
        Item item = item(c, step);
        if (item == null) {
          throw new CannotEdit("no " + step);
        }
        at = item.value();
      }
      return at;
    }

    private static Container container(Value v) {
      if (v instanceof Container c) {
        return c;
      }
      throw new CannotEdit("not an object or array");
    }

    /** The item a step names; for a repeated key the last, whose value is the one that counts. */
    private static Item item(Container c, Change.Step step) {
      return switch (step) {
        case Change.Key k when !c.array() -> {
          Item found = null;
          for (Item item : c.items()) {
            found = k.name().equals(item.key()) ? item : found;
          }
          yield found;
        }
        case Change.Index i when c.array() && i.index() < c.items().size() -> c.items().get(i.index());
        default -> null;
      };
    }

    private String put(List<Change.Step> path, JsonNode value) {
      Container parent = parent(path);
      Change.Step step = path.getLast();
      Item item = item(parent, step);
      if (item == null && step instanceof Change.Key k && !parent.array()) {
        return insert(parent, k.name(), value);
      }
      if (item == null) {
        throw new CannotEdit("no " + step);
      }
      if (item.value() instanceof Container c && c.array() && c.items().isEmpty() && value.isArray()
          && !Json5Spans.isBlank(text, c.start() + 1, c.end() - 1)) {
        // An empty array that holds comments keeps them: the elements go in after them.
        List<JsonNode> elements = new ArrayList<>();
        value.forEach(elements::add);
        return append(path, elements);
      }
      return replace(item, value);
    }

    private String append(List<Change.Step> path, List<JsonNode> values) {
      String out = text;
      for (JsonNode value : values) {
        Editor at = new Editor(out, style);
        out = at.insert(container(at.locate(path)), null, value);
      }
      return out;
    }

    // ---- replace

    private String replace(Item item, JsonNode value) {
      Value old = item.value();
      String rendered;
      if (!value.isContainerNode() || value.isEmpty()) {
        rendered = Json5Render.inline(value, style);
      } else if (Json5Spans.oneLine(text, old.start(), old.end()) && style.inlineContainers()) {
        rendered = Json5Render.inline(value, style);
        int lineLength = lineEnd(old.end()) - Json5Spans.lineStart(text, old.start());
        boolean endsLine = Json5Spans.restOfLine(text, item.end()) >= 0;
        if (lineLength - (old.end() - old.start()) + rendered.length() > MAX_LINE && endsLine) {
          rendered = Json5Render.block(value, Json5Spans.indentOf(text, old.start()), style);
        }
      } else {
        rendered = Json5Render.block(value, Json5Spans.indentOf(text, old.start()), style);
      }
      return splice(List.of(new Splice(old.start(), old.end(), rendered)));
    }

    private int lineEnd(int pos) {
      int p = pos;
      while (p < text.length() && text.charAt(p) != '\n' && text.charAt(p) != '\r') {
        p++;
      }
      return p;
    }

    // ---- insert

    /** Adds a member (or, with a null key, an element) after the last one, laid out like its siblings. */
    private String insert(Container c, String key, JsonNode value) {
      String prefix = key == null ? "" : Json5Render.key(key, style) + ": ";
      if (c.items().isEmpty()) {
        return insertIntoEmpty(c, prefix, value);
      }
      Item last = c.items().getLast();
      int eol = Json5Spans.restOfLine(text, last.end());
      if (!Json5Spans.startsLine(text, last.start()) || eol < 0) {
        String member = prefix + Json5Render.inline(value, style);
        return last.comma() >= 0
            ? splice(List.of(new Splice(last.end(), last.end(), " " + member + ",")))
            : splice(List.of(new Splice(last.end(), last.end(), ", " + member)));
      }
      String indent = Json5Spans.indentOf(text, last.start());
      String member = prefix + render(value, indent, indent.length() + prefix.length(), last.value());
      List<Splice> splices = new ArrayList<>();
      if (last.comma() < 0) {
        splices.add(new Splice(last.value().end(), last.value().end(), ","));
      }
      splices.add(new Splice(eol, eol, style.newline() + indent + member + (last.comma() >= 0 ? "," : "")));
      return splice(splices);
    }

    private String insertIntoEmpty(Container c, String prefix, JsonNode value) {
      int open = c.start();
      int close = c.end() - 1;
      String outer = Json5Spans.indentOf(text, open);
      String inner = outer + style.indent();
      String comma = style.trailingCommas() ? "," : "";
      if (!Json5Spans.isBlank(text, open + 1, close)) {
        // Only comments inside: the member goes after them.
        if (Json5Spans.startsLine(text, close)) {
          int at = Json5Spans.lineStart(text, close);
          String member = prefix + render(value, inner, inner.length() + prefix.length(), null);
          return splice(List.of(new Splice(at, at, inner + member + comma + style.newline())));
        }
        String member = prefix + Json5Render.inline(value, style);
        return splice(List.of(new Splice(close, close, (text.charAt(close - 1) == ' ' ? "" : " ") + member + " ")));
      }
      if (endsLine(c)) {
        String member = prefix + render(value, inner, inner.length() + prefix.length(), null);
        return splice(List.of(new Splice(open + 1, close,
            style.newline() + inner + member + comma + style.newline() + outer)));
      }
      boolean pad = c.array() ? style.padArrays() : style.padObjects();
      String member = prefix + Json5Render.inline(value, style);
      return splice(List.of(new Splice(open + 1, close, pad ? " " + member + " " : member)));
    }

    /** Whether only a comma, white space and comments follow the value on its line. */
    private boolean endsLine(Value v) {
      int p = v.end();
      while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
        p++;
      }
      if (p < text.length() && text.charAt(p) == ',') {
        p++;
      }
      return Json5Spans.restOfLine(text, p) >= 0;
    }

    /**
     * A new value on a line of its own: on one line when it is short and its sibling is a one-line
     * object or array too, else over several lines as OpenClaw writes.
     */
    private String render(JsonNode value, String indent, int column, Value sibling) {
      if (sibling instanceof Container s && !s.items().isEmpty() && Json5Spans.oneLine(text, s.start(), s.end())) {
        String inline = Json5Render.inline(value, style);
        if (column + inline.length() + 1 <= MAX_LINE) {
          return inline;
        }
      }
      return Json5Render.block(value, indent, style);
    }

    // ---- remove

    private String remove(List<Change.Step> path) {
      Change.Step step = path.getLast();
      if (step instanceof Change.Index i) {
        return remove(parent(path), i.index());
      }
      // A repeated key: every copy goes, the last first.
      Editor at = this;
      while (true) {
        Container parent = at.parent(path);
        Item item = item(parent, step);
        if (item == null) {
          return at.text;
        }
        at = new Editor(at.remove(parent, parent.items().indexOf(item)), style);
      }
    }

    /** Removes an item with its comma, and its line when it had the line to itself. */
    private String remove(Container c, int index) {
      if (index >= c.items().size()) {
        throw new CannotEdit("no element " + index);
      }
      Item item = c.items().get(index);
      int from = item.start();
      int to = item.end();
      int eol = Json5Spans.restOfLine(text, to);
      if (Json5Spans.startsLine(text, from) && eol >= 0) {
        from = Json5Spans.lineStart(text, from);
        to = Json5Spans.nextLine(text, eol);
      } else if (item.comma() >= 0) {
        to = skipSpaces(to);
      } else if (index > 0) {
        while (from > 0 && (text.charAt(from - 1) == ' ' || text.charAt(from - 1) == '\t')) {
          from--;
        }
      }
      List<Splice> splices = new ArrayList<>();
      if (item.comma() < 0 && index > 0) {
        // The last item goes: its predecessor's comma would be left trailing where the file has none.
        int comma = c.items().get(index - 1).comma();
        splices.add(new Splice(comma, comma + 1, ""));
      }
      if (c.items().size() == 1 && Json5Spans.isBlank(text, c.start() + 1, from)
          && Json5Spans.isBlank(text, to, c.end() - 1)) {
        from = c.start() + 1;
        to = c.end() - 1;
      }
      splices.add(new Splice(from, to, ""));
      return splice(splices);
    }

    private int skipSpaces(int pos) {
      int p = pos;
      while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
        p++;
      }
      return p;
    }

    private String splice(List<Splice> splices) {
      List<Splice> ordered = new ArrayList<>(splices);
      ordered.sort(Comparator.comparingInt(Splice::start));
      StringBuilder out = new StringBuilder(text.length() + 256);
      int at = 0;
      for (Splice s : ordered) {
        if (s.start() < at) {
          throw new CannotEdit("overlapping edits");
        }
        out.append(text, at, s.start()).append(s.text());
        at = s.end();
      }
      return out.append(text, at, text.length()).toString();
    }
  }
}
