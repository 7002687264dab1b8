package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The changes that turn one config tree into another, as few and as deep as possible, so that a text
 * edit touches only what changed. Arrays change element by element where elements keep their
 * places, by appending at the end and by dropping elements, and as a whole otherwise (reordered, or
 * inserted into).
 */
final class TreeDiff {
  private TreeDiff() {}

  // A number is its value: 1500 read back from "1500.0" or put as a long is the same setting.
  private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
    if (a.equals(b)) {
      return 0;
    }
    if (!a.isNumber() || !b.isNumber()) {
      return 1;
    }
    double x = a.doubleValue();
    double y = b.doubleValue();
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return Double.compare(x, y);
    }
    return a.decimalValue().compareTo(b.decimalValue());
  };

  /** Equal trees, with numbers compared by value and object keys in any order. */
  static boolean same(JsonNode a, JsonNode b) {
    return a.equals(SAME_VALUE, b);
  }

  static List<Change> between(JsonNode before, JsonNode after) {
    List<Change> out = new ArrayList<>();
    diff(List.of(), before, after, out);
    return out;
  }

  private static void diff(List<Change.Step> path, JsonNode before, JsonNode after, List<Change> out) {
    if (same(before, after)) {
      return;
    }
    if (before.isObject() && after.isObject()) {
      for (var e : before.properties()) {
        if (!after.has(e.getKey())) {
          out.add(new Change.Remove(with(path, new Change.Key(e.getKey()))));
        }
      }
      for (var e : after.properties()) {
        List<Change.Step> at = with(path, new Change.Key(e.getKey()));
        JsonNode old = before.get(e.getKey());
        if (old == null) {
          out.add(new Change.Put(at, e.getValue()));
        } else {
          diff(at, old, e.getValue(), out);
        }
      }
    } else if (before.isArray() && after.isArray() && !before.isEmpty()) {
      diffArray(path, before, after, out);
    } else {
      out.add(new Change.Put(path, after));
    }
  }

  private static void diffArray(List<Change.Step> path, JsonNode before, JsonNode after, List<Change> out) {
    int n = before.size();
    int m = after.size();
    if (m < n) {
      List<Integer> dropped = dropped(before, after);
      if (dropped == null) {
        out.add(new Change.Put(path, after));
        return;
      }
      for (int i = dropped.size() - 1; i >= 0; i--) {
        out.add(new Change.Remove(with(path, new Change.Index(dropped.get(i)))));
      }
      return;
    }
    // Elements that stay in place are edited where they stand, so the comments beside them stay
    // beside them; a value that was elsewhere in the array means elements moved, and the array is
    // written anew rather than leave a comment next to the wrong element.
    for (int i = 0; i < n; i++) {
      if (!same(before.get(i), after.get(i)) && contains(before, after.get(i))) {
        out.add(new Change.Put(path, after));
        return;
      }
    }
    for (int i = 0; i < n; i++) {
      diff(with(path, new Change.Index(i)), before.get(i), after.get(i), out);
    }
    if (m > n) {
      List<JsonNode> added = new ArrayList<>();
      for (int i = n; i < m; i++) {
        added.add(after.get(i));
      }
      out.add(new Change.Append(path, added));
    }
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode e : array) {
      if (same(e, value)) {
        return true;
      }
    }
    return false;
  }

  /** The indexes of {@code before} to drop to get {@code after}, or null when dropping is not enough. */
  private static List<Integer> dropped(JsonNode before, JsonNode after) {
    List<Integer> out = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < before.size(); i++) {
      if (j < after.size() && same(before.get(i), after.get(j))) {
        j++;
      } else {
        out.add(i);
      }
    }
    return j == after.size() ? out : null;
  }

  private static List<Change.Step> with(List<Change.Step> path, Change.Step step) {
    List<Change.Step> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(step);
    return List.copyOf(out);
  }
}
