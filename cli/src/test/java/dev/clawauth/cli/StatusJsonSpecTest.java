package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clawauth.json.JsonText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models status --json} against what 2026.1 printed for the same files
 * (spec examples {@code output.models-status-json-*.json}). Every 2026.1 field must be there with
 * the same value; Clawauth's extra fields are allowed. The examples' timestamps are from the day
 * they were recorded, so inputs and expected times are shifted to the current clock, and
 * {@code remainingMs} is compared within the time the child JVM took to start.
 */
final class StatusJsonSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Input fields that hold epoch milliseconds. */
  private static final Set<String> INPUT_TIMES =
      Set.of("expires", "lastUsed", "cooldownUntil", "disabledUntil", "lastFailureAt");
  /** Output fields that hold epoch milliseconds. */
  private static final Set<String> OUTPUT_TIMES = Set.of("expiresAt", "until");
  private static final long CHILD_START_TOLERANCE_MS = 30_000;

  @TempDir
  Path tmp;
  Scenario s;
  long now;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
    now = System.currentTimeMillis();
  }

  /** Writes a spec store with its times moved so that {@code recordedNow} becomes now. */
  private void writeShiftedStore(String example, long recordedNow) throws Exception {
    JsonNode tree = JSON.readTree(s.example(example));
    shift(tree, INPUT_TIMES, now - recordedNow);
    s.writeStore(JsonText.pretty(tree));
  }

  private static void shift(JsonNode node, Set<String> fields, long by) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (fields.contains(name) && v.isNumber()) {
          o.put(name, v.asLong() + by);
        } else {
          shift(v, fields, by);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> shift(n, fields, by));
    }
  }

  /** Runs status --json and compares it with the spec output, shifted by {@code recordedNow}. */
  private JsonNode assertMatchesSpec(String output, long recordedNow, Map<String, String> overrides)
      throws Exception {
    JsonNode expected = JSON.readTree(s.example(output)).path("stdout");
    shift(expected, OUTPUT_TIMES, now - recordedNow);
    expected = substitute(expected, overrides);
    String storeBefore = exists(s.store()) ? s.read(s.store()) : null;

    var r = s.run("models", "status", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode actual = JSON.readTree(r.stdout());
    List<String> diffs = new ArrayList<>();
    compare("$", expected, actual, diffs);
    assertThat(diffs).as("2026.1 fields that differ\n" + r.stdout()).isEmpty();
    assertThat(exists(s.store()) ? s.read(s.store()) : null).as("status writes nothing").isEqualTo(storeBefore);
    return actual;
  }

  private static boolean exists(Path p) {
    return java.nio.file.Files.exists(p);
  }

  private JsonNode substitute(JsonNode node, Map<String, String> overrides) throws Exception {
    String text = JSON.writeValueAsString(node).replace("<state>", s.state.toString());
    for (var e : overrides.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    return JSON.readTree(text);
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<String> diffs) {
    if (actual == null || actual.isMissingNode()) {
      diffs.add(path + ": missing (expected " + expected + ")");
      return;
    }
    if (expected.isObject()) {
      if (!actual.isObject()) {
        diffs.add(path + ": expected an object, got " + actual);
        return;
      }
      expected.fields().forEachRemaining(e -> {
        String p = path + "." + e.getKey();
        JsonNode a = actual.get(e.getKey());
        if (e.getKey().equals("remainingMs") && a != null && a.isNumber()) {
          long want = e.getValue().asLong();
          long got = a.asLong();
          if (got > want || got < want - CHILD_START_TOLERANCE_MS) {
            diffs.add(p + ": " + got + " not within " + CHILD_START_TOLERANCE_MS + " ms below " + want);
          }
        } else {
          compare(p, e.getValue(), a, diffs);
        }
      });
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        diffs.add(path + ": expected " + expected + ", got " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), diffs);
      }
    } else if (expected.isNumber() ? !actual.isNumber() || actual.asLong() != expected.asLong()
        : !expected.equals(actual)) {
      diffs.add(path + ": expected " + expected + ", got " + actual);
    }
  }

  /** Without a config file Clawauth names the OpenClaw file, where 2026.1 named its own. */
  private Map<String, String> noConfigFile() {
    return Map.of(s.state + "/clawdbot.json", s.state + "/openclaw.json");
  }

  @Test
  void emptyStateMatches2026() throws Exception {
    JsonNode actual = assertMatchesSpec("output.models-status-json-empty-state.json", now, noConfigFile());
    assertThat(actual.at("/auth/check/exitCode").asInt()).isEqualTo(1);
    assertThat(s.state).doesNotExist();
  }

  @Test
  void anthropicApiKeyInEnvironmentMatches2026() throws Exception {
    s.clawauth.env("ANTHROPIC_API_KEY", TestSecrets.get("SPEC_ANTHROPIC_API_KEY"));
    JsonNode actual = assertMatchesSpec("output.models-status-json-with-ANTHROPIC-API-KEY.json", now, noConfigFile());
    assertThat(actual.toString()).doesNotContain(TestSecrets.get("SPEC_ANTHROPIC_API_KEY"));
    assertThat(actual.at("/auth/check/exitCode").asInt()).isZero();
  }

  @Test
  void afterOnboardMatches2026() throws Exception {
    s.writeConfig("clawdbot.json", s.example("clawdbot.after-onboard.json"));
    s.writeStore(s.example("auth-profiles.after-onboard.json"));
    JsonNode actual = assertMatchesSpec("output.models-status-json-after-onboard.json", now, Map.of());
    assertThat(actual.toString()).doesNotContain(TestSecrets.get("SPEC_ANTHROPIC_API_KEY"));
  }

  @Test
  void afterPasteTokenMatches2026() throws Exception {
    // Recorded at expiresAt - remainingMs of the example: 1795458929012 - 43181283.
    long recorded = 1_795_415_747_729L;
    s.writeConfig("clawdbot.json", s.example("clawdbot.after-paste-token.json"));
    writeShiftedStore("auth-profiles.after-paste-token.json", recorded);
    JsonNode actual = assertMatchesSpec("output.models-status-json-after-paste-token.json", recorded, Map.of());
    assertThat(actual.at("/auth/check/exitCode").asInt()).as("a token expiring in 12 h").isEqualTo(2);
    assertThat(actual.toString()).doesNotContain(TestSecrets.get("SPEC_ANTHROPIC_TOKEN"));
  }

  @Test
  void handWrittenMixedStoreMatches2026() throws Exception {
    // The output was recorded at until - remainingMs = 1795416803942 - 893014; the mixed example
    // is the same store written 775614 ms earlier on the clock.
    long recorded = 1_795_415_910_928L;
    s.writeConfig("clawdbot.json", s.example("clawdbot.mixed.json"));
    writeShiftedStore("auth-profiles.mixed.json", recorded - 775_614L);
    JsonNode actual = assertMatchesSpec("output.models-status-json-hand-written-auth-profiles-json.json",
        recorded, Map.of());
    assertThat(actual.at("/auth/check/exitCode").asInt()).as("every OAuth profile renews itself").isZero();
    for (String name : List.of("SPEC_ACCESS_EXPIRED", "SPEC_REFRESH_EXPIRED", "SPEC_ACCESS_FINE", "SPEC_OPENROUTER_KEY")) {
      assertThat(actual.toString()).doesNotContain(TestSecrets.get(name));
    }
  }

  @Test
  void sameStoreUnderOpenclawJsonReportsThatPath() throws Exception {
    s.writeConfig("openclaw.json", s.example("clawdbot.mixed.json"));
    s.writeConfig("clawdbot.json", "{}");
    var r = s.run("models", "status", "--json");
    JsonNode actual = JSON.readTree(r.stdout());
    assertThat(actual.path("configPath")).isEqualTo(new TextNode(s.state.resolve("openclaw.json").toString()));
    assertThat(actual.path("defaultModel").asText()).isEqualTo("anthropic/claude-opus-5");
  }
}
