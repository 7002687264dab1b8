package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.config.Json5Spans.Container;
import dev.clawauth.config.Json5Spans.Item;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.testing.StateFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sets, additions and removals on sample configs: each edit is made in place, reads back as
 * the edited tree, and keeps every comment line that was not inside a removed or replaced value.
 */
final class ConfigFileEditPropertyTest {
  @TempDir
  Path dir;

  private static final String HAND = """
      // c01 OpenClaw config, written by hand
      {
        # c02 which model
        agents: {
          defaults: {
            // c03 the main model
            model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-5', 'google/gemini-3'] }, // t1
            workspace: '~/clawd',
            models: {
              'anthropic/claude-opus-4-5': { alias: 'opus' },
              /* c04 */
              'openai/gpt-5': { alias: "gpt", },
            },
          },
          list: [
            // c05 the first agent
            { id: 'main', default: true },
            {
              id: 'work', // t2
              # c06 its own dir
              agentDir: '/srv/work',
            },
          ],
        },

        /* c07 auth: profiles
           and their order */
        auth: {
          profiles: {
            // c08 the API key
            'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
            "openai:default": { provider: 'openai', mode: 'api_key' }, // t3
            // c09 trailing comment in profiles
          },
          order: {
            anthropic: [
              'anthropic:default', // t4
              // c10 between elements
              'anthropic:work',
            ],
          },
          cooldowns: {},
        },
        gateway: { port: 18789, bind: 'loopback', },
        // c11 last
      }
      // c12 after
      """;

  private static final String TABS = """
      {
      \t# c21 tabs, quoted keys, no trailing commas
      \t"env": {
      \t\t"vars": {"A": "1", "B": "2"},
      \t\t// c22 shell
      \t\t"shellEnv": {
      \t\t\t"enabled": true
      \t\t}
      \t},
      \t"auth": {
      \t\t"profiles": {
      \t\t\t/* c23 */
      \t\t\t"anthropic:default": {"provider": "anthropic", "mode": "token"}
      \t\t},
      \t\t"order": {"anthropic": ["anthropic:default"]}
      \t},
      \t// c24 empty list
      \t"list": []
      }
      """;

  private static final String ODD = """
      { "a": 1, b: 2,
        c: /* c31 before the value */ [ 1,
          2 ], d: { e: 'x' } // c32 on d's line
        , f: {
        },
        // c33 own line
        /* c34 a block
           over two lines */ g: null, h: [
      ], 'i': {j: {k: [[], {}]}}}
      """;

  enum Sample {
    HAND(ConfigFileEditPropertyTest.HAND),
    HAND_CRLF_BOM("\uFEFF" + ConfigFileEditPropertyTest.HAND.replace("\n", "\r\n")),
    TABS(ConfigFileEditPropertyTest.TABS),
    ODD(ConfigFileEditPropertyTest.ODD),
    COMPACT("{\"a\":1,\"b\":{\"c\":[1,2,{\"d\":true}]},\"e\":{}}"),
    OPENCLAW(pretty(ConfigFileEditPropertyTest.HAND));

    final String text;

    Sample(String text) {
      this.text = text;
    }

    private static String pretty(String json5) {
      try {
        return JsonText.pretty(Json.parseJson5(Path.of("sample"), json5));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Stream<Arguments> runs() {
    return Stream.of(Sample.values()).flatMap(s -> IntStream.range(0, 25).mapToObj(seed -> Arguments.of(s, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void randomEditsAreMadeInPlaceAndKeepTheCommentsTheyDoNotTouch(Sample sample, int seed) throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), sample.text);
    Random random = new Random(seed * 7919L + sample.ordinal());
    for (int step = 0; step < 8; step++) {
      String before = StateFixture.read(file);
      String body = before.startsWith("\uFEFF") ? before.substring(1) : before;
      Container spans = Json5Spans.parse(body);
      List<int[]> doomed = new ArrayList<>();
      int ops = 1 + random.nextInt(3);
      ConfigFile.Written written = ConfigFile.write(file, root -> {
        for (int i = 0; i < ops; i++) {
          new Mutation(random, body, spans, doomed).apply(root);
        }
      });
      String after = StateFixture.read(file);
      String context = sample + " seed " + seed + " step " + step + "\n--- before\n" + before + "\n--- after\n" + after;
      assertThat(written.outcome()).as(context).isIn(ConfigFile.Outcome.EDITED, ConfigFile.Outcome.UNCHANGED);
      assertThat(Json.parseJson5(file, after)).as(context).isEqualTo(written.config().tree());
      List<String> kept = after.replace("\uFEFF", "").lines().map(String::strip).toList();
      for (int[] line : commentLines(body)) {
        if (doomed.stream().noneMatch(d -> d[0] <= line[0] && line[0] < d[1])) {
          assertThat(kept).as(context).contains(body.substring(line[0], line[1]).strip());
        }
      }
      if (sample == Sample.HAND_CRLF_BOM) {
        assertThat(after).as(context).startsWith("\uFEFF").doesNotContainPattern("[^\r]\n");
      }
      if (sample == Sample.OPENCLAW) {
        assertThat(after).as(context).isEqualTo(JsonText.pretty(written.config().tree()));
      }
    }
  }

  /** Offsets {@code [start, end)} of the lines that hold only a comment (or open a block comment). */
  private static List<int[]> commentLines(String text) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = start;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(start, end).strip();
      if (line.startsWith("//") || line.startsWith("#") || line.startsWith("/*")) {
        out.add(new int[] {start, end});
      }
      start = Json5Spans.nextLine(text, end);
      if (start == end) {
        start++;
      }
    }
    return out;
  }

  /** One random change to a tree, noting which text it may take with it. */
  private record Mutation(Random random, String text, Container spans, List<int[]> doomed) {
    private static final String[] KEYS = {"k", "with:colon", "with space", "quote\"d", "hash#", "9lives", "$d", "sl//ash",
        "uni\u00e9"};
    private static final String[] STRINGS = {"plain", "it's", "say \"hi\"", "back\\slash", "tab\there", "line\nbreak",
        "// not a comment", "/* nor this */", "# nor this", "\u00fcn\u00ef \uD83D\uDE00", ""};

    void apply(ObjectNode root) {
      List<List<Object>> objects = new ArrayList<>();
      List<List<Object>> arrays = new ArrayList<>();
      collect(root, new ArrayList<>(), objects, arrays);
      List<List<Object>> members = new ArrayList<>();
      for (List<Object> o : objects) {
        node(root, o).properties().forEach(e -> members.add(with(o, e.getKey())));
      }
      switch (random.nextInt(6)) {
        case 0 -> {
          if (!members.isEmpty()) {
            List<Object> m = members.get(random.nextInt(members.size()));
            doomValue(m);
            parent(root, m).set((String) m.getLast(), scalar());
          }
        }
        case 1 -> {
          List<Object> o = objects.get(random.nextInt(objects.size()));
          ((ObjectNode) node(root, o)).set(KEYS[random.nextInt(KEYS.length)] + random.nextInt(100_000), value());
        }
        case 2 -> {
          if (!members.isEmpty()) {
            List<Object> m = members.get(random.nextInt(members.size()));
            doomMember(m);
            parent(root, m).remove((String) m.getLast());
          }
        }
        case 3 -> {
          if (!arrays.isEmpty()) {
            ((ArrayNode) node(root, arrays.get(random.nextInt(arrays.size())))).add(value());
          }
        }
        case 4 -> {
          if (!arrays.isEmpty()) {
            List<Object> a = arrays.get(random.nextInt(arrays.size()));
            ArrayNode array = (ArrayNode) node(root, a);
            if (!array.isEmpty()) {
              doomValue(a);
              array.remove(random.nextInt(array.size()));
            }
          }
        }
        default -> {
          if (!members.isEmpty()) {
            List<Object> m = members.get(random.nextInt(members.size()));
            doomValue(m);
            JsonNode v = random.nextBoolean() ? Json.object().put("fresh", scalar().asText()) : Json.NODES.arrayNode().add(1);
            parent(root, m).set((String) m.getLast(), v);
          }
        }
      }
    }

    private JsonNode scalar() {
      return switch (random.nextInt(4)) {
        case 0 -> Json.NODES.numberNode(random.nextInt(2_000_000) - 1_000_000);
        case 1 -> Json.NODES.booleanNode(random.nextBoolean());
        case 2 -> Json.NODES.nullNode();
        default -> Json.NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
      };
    }

    private JsonNode value() {
      return switch (random.nextInt(5)) {
        case 0 -> Json.object();
        case 1 -> Json.NODES.arrayNode();
        case 2 -> {
          ObjectNode o = Json.object().put("provider", "anthropic").put("mode", "token");
          o.set("n", scalar());
          yield o;
        }
        case 3 -> Json.NODES.arrayNode().add(scalar()).add(Json.object().set("x", scalar()));
        default -> scalar();
      };
    }

    private static void collect(JsonNode node, List<Object> path, List<List<Object>> objects, List<List<Object>> arrays) {
      if (node.isObject()) {
        objects.add(List.copyOf(path));
        node.properties().forEach(e -> collect(e.getValue(), with(path, e.getKey()), objects, arrays));
      } else if (node.isArray()) {
        arrays.add(List.copyOf(path));
        for (int i = 0; i < node.size(); i++) {
          collect(node.get(i), with(path, i), objects, arrays);
        }
      }
    }

    private static List<Object> with(List<Object> path, Object step) {
      List<Object> out = new ArrayList<>(path);
      out.add(step);
      return out;
    }

    private static JsonNode node(JsonNode root, List<Object> path) {
      JsonNode n = root;
      for (Object step : path) {
        n = step instanceof String k ? n.get(k) : n.get((Integer) step);
      }
      return n;
    }

    private static ObjectNode parent(JsonNode root, List<Object> path) {
      return (ObjectNode) node(root, path.subList(0, path.size() - 1));
    }

    /** The item a path names in the text as it was before this update, or null when it is new. */
    private Item item(List<Object> path) {
      Container c = spans;
      Item found = null;
      for (Object step : path) {
        if (c == null) {
          return null;
        }
        found = null;
        if (step instanceof String k && !c.array()) {
          for (Item i : c.items()) {
            found = k.equals(i.key()) ? i : found;
          }
        } else if (step instanceof Integer i && c.array() && i < c.items().size()) {
          found = c.items().get(i);
        }
        if (found == null) {
          return null;
        }
        c = found.value() instanceof Container inner ? inner : null;
      }
      return found;
    }

    private void doomValue(List<Object> path) {
      // An element's index may have moved with an earlier removal in this update: take the whole array.
      int cut = 0;
      while (cut < path.size() && !(path.get(cut) instanceof Integer)) {
        cut++;
      }
      Item item = item(path.subList(0, cut));
      if (item != null) {
        doomed.add(new int[] {item.value().start(), item.value().end()});
      }
    }

    private void doomMember(List<Object> path) {
      if (path.stream().anyMatch(Integer.class::isInstance)) {
        doomValue(path);
        return;
      }
      Item item = item(path);
      if (item != null) {
        int end = item.end();
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
          end++;
        }
        doomed.add(new int[] {Json5Spans.lineStart(text, item.start()), end});
      }
    }
  }
}
