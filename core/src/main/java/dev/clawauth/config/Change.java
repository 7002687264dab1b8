package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One step from a config tree to its edited form, addressed by path so that it can be applied to
 * the file's text as well as to a tree. Paths name the value as it is when the change is applied:
 * changes are applied in order, and array removals come highest index first.
 */
sealed interface Change {
  List<Step> path();

  /** Sets the value at {@code path}: replaces it, or adds the key when the object lacks it. */
  record Put(List<Step> path, JsonNode value) implements Change {}

  /** Removes the member or element at {@code path}. */
  record Remove(List<Step> path) implements Change {}

  /** Adds {@code values} at the end of the (non-empty) array at {@code path}. */
  record Append(List<Step> path, List<JsonNode> values) implements Change {}

  /** A key of an object or an index into an array. */
  sealed interface Step {}

  record Key(String name) implements Step {}

  record Index(int index) implements Step {}
}
