package dev.clawauth.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile input for the store and config parsers: whatever bytes a file holds, reading it either
 * succeeds or fails with the parse error that names file, line and column, never another
 * exception; and what is read and written back reads again as the same tree.
 */
class ParserFuzzTest {

  /** Text that is nearly a store: real fragments of one, cut and spliced at random. */
  @Provide
  Arbitrary<String> storeLike() {
    Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"version\"", "1", "1e400",
        "-0.0", "\"profiles\"", "\"anthropic:a\"", "{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"k\"}",
        "\"expires\"", "null", "true", "\"\\u0000\"", "\"\\ud800\"", "\"é\"", " ", "\n", "//", "/*", "'", "\\",
        "\"order\"", "\"usageStats\"", "9223372036854775808", "0x10", "NaN");
    return fragments.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 2000)
  void strictParsingFailsOnlyWithAPositionedError(@ForAll("storeLike") String text) {
    try {
      JsonNode n = Json.parseStrict(Path.of("auth-profiles.json"), text);
      // Numbers are written as JavaScript writes them (-0.0 and 1.0 as 0 and 1): compared by value.
      JsonNode again = Json.parseStrict(Path.of("again.json"), JsonText.pretty(n));
      assertThat(compareByValue(again, n)).as("%s reads back as %s", n, again).isZero();
    } catch (JsonFileException e) {
      assertThat(e.getMessage()).startsWith("auth-profiles.json:");
    }
  }

  static int compareByValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    }
    if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
      return 1;
    }
    if (a.isObject()) {
      for (var it = a.properties().iterator(); it.hasNext();) {
        var e = it.next();
        if (!b.has(e.getKey()) || compareByValue(e.getValue(), b.get(e.getKey())) != 0) {
          return 1;
        }
      }
      return 0;
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (compareByValue(a.get(i), b.get(i)) != 0) {
          return 1;
        }
      }
      return 0;
    }
    return a.equals(b) ? 0 : 1;
  }

  @Property(tries = 1000)
  void json5ConfigParsingFailsOnlyWithAPositionedError(@ForAll("storeLike") String text) {
    try {
      Json.parseJson5(Path.of("openclaw.json"), text);
    } catch (JsonFileException e) {
      assertThat(e.getMessage()).startsWith("openclaw.json:");
    }
  }

  @Property(tries = 300)
  void aStoreThatReadsIsWrittenBackAsOneThatReadsTheSame(@ForAll("storeLike") String text) throws Exception {
    Path dir = Files.createTempDirectory("fuzz");
    try {
      Path file = Files.writeString(dir.resolve("auth-profiles.json"), text);
      FileStore store = new FileStore(file);
      StoreDocument doc;
      try {
        doc = store.readStored();
      } catch (JsonFileException e) {
        assertThat(Files.readString(file)).as("never overwritten").isEqualTo(text);
        return;
      }
      store.update(d -> {
        d.setLastGood("anthropic", "anthropic:a");
        return null;
      });
      StoreDocument again = store.readStored();
      assertThat(again.profiles()).isEqualTo(doc.profiles());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 500)
  void aConfigThatReadsAnswersEveryQueryWithoutThrowing(@ForAll("storeLike") String text) throws IOException {
    Path dir = Files.createTempDirectory("fuzz");
    try {
      Path file = Files.writeString(dir.resolve("openclaw.json"), text);
      ClawConfig c;
      try {
        c = ClawConfig.load(file);
      } catch (JsonFileException e) {
        return;
      }
      c.agentIds();
      c.defaultAgentId();
      c.authProfiles();
      c.authOrder("anthropic");
      c.providersInUse(c.defaultAgentId());
      c.aliases();
      c.envVars();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
