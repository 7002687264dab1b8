package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.testing.StateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfigFile edits a hand-written JSON5 config in place: what the edit did not touch stays byte for byte. */
final class ConfigFileEditTest {
  @TempDir
  Path dir;

  static final String FILE = """
      // OpenClaw config, written by hand
      {
        # which model
        agents: {
          defaults: {
            model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-5', 'google/gemini-3'] }, // main
            workspace: '~/clawd',
          },
          list: [
            { id: 'main', default: true },
          ],
        },

        /* auth: profiles and their order */
        auth: {
          profiles: {
            // the API key
            'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
            "openai:default": { provider: 'openai', mode: 'api_key' }, // billing account
          },
          order: {
            anthropic: ['anthropic:default'],
          },
          cooldowns: {},
        },
        gateway: { port: 18789, bind: 'loopback', },
      }
      """;

  private Path config(String text) throws Exception {
    return StateFixture.write(dir.resolve("openclaw.json"), text);
  }

  /** Runs the edit, checks that it was made in place and reads back as the edited tree, and gives the text. */
  private static String edited(Path file, ConfigFile.Edit edit) throws Exception {
    ConfigFile.Written written = ConfigFile.write(file, edit);
    assertThat(written.outcome()).isEqualTo(ConfigFile.Outcome.EDITED);
    String text = StateFixture.read(file);
    assertThat(Json.parseJson5(file, text)).isEqualTo(written.config().tree());
    return text;
  }

  private static ObjectNode at(ObjectNode root, String... keys) {
    ObjectNode o = root;
    for (String k : keys) {
      o = (ObjectNode) o.get(k);
    }
    return o;
  }

  /** FILE with {@code from} (which must occur once) replaced. */
  private static String fileWith(String from, String to) {
    int at = FILE.indexOf(from);
    assertThat(at).isNotNegative().isEqualTo(FILE.lastIndexOf(from));
    assertThat(at == 0 || FILE.charAt(at - 1) == '\n' || !from.endsWith("\n")).as("whole lines").isTrue();
    return FILE.replace(from, to);
  }

  @Test
  void aNewProfileGoesAfterTheLastOneAndItsCommentWithItsKeyQuotedForTheColon() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth", "profiles").putObject("anthropic:work")
        .put("provider", "anthropic").put("mode", "token"));
    assertThat(text).isEqualTo(fileWith("""
              "openai:default": { provider: 'openai', mode: 'api_key' }, // billing account
        """, """
              "openai:default": { provider: 'openai', mode: 'api_key' }, // billing account
              "anthropic:work": { provider: "anthropic", mode: "token" },
        """));
    assertThat(StateFixture.read(dir.resolve("openclaw.json.bak"))).isEqualTo(FILE);
  }

  @Test
  void aChangedScalarIsTheOnlyTextThatChanges() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> {
      at(root, "agents", "defaults").put("workspace", "~/work");
      at(root, "gateway").put("port", 18800);
      at(root, "agents", "defaults", "model").put("primary", "openai/gpt-5");
    });
    assertThat(text).isEqualTo(FILE.replace("workspace: '~/clawd'", "workspace: \"~/work\"")
        .replace("port: 18789", "port: 18800")
        .replace("primary: 'anthropic/claude-opus-4-5'", "primary: \"openai/gpt-5\""));
  }

  @Test
  void aReplacedArrayStaysOnOneLineAndADroppedElementTakesItsCommaWithIt() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> {
      at(root, "auth", "order").putArray("anthropic").add("anthropic:work").add("anthropic:default");
      at(root, "agents", "defaults", "model").putArray("fallbacks").add("google/gemini-3");
    });
    assertThat(text).isEqualTo(FILE
        .replace("anthropic: ['anthropic:default'],", "anthropic: [\"anthropic:work\", \"anthropic:default\"],")
        .replace("fallbacks: ['openai/gpt-5', 'google/gemini-3']", "fallbacks: ['google/gemini-3']"));
  }

  @Test
  void removingTheFirstMemberTakesItsLineButNotTheCommentAboveIt() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth", "profiles").remove("anthropic:default"));
    assertThat(text).isEqualTo(fileWith("""
              'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
        """, ""));
  }

  @Test
  void removingAMiddleMemberTakesAllOfItsLines() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth").remove("order"));
    assertThat(text).isEqualTo(fileWith("""
            order: {
              anthropic: ['anthropic:default'],
            },
        """, ""));
  }

  @Test
  void removingTheLastMemberTakesItsTrailingComment() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth", "profiles").remove("openai:default"));
    assertThat(text).isEqualTo(fileWith("""
              "openai:default": { provider: 'openai', mode: 'api_key' }, // billing account
        """, ""));
  }

  @Test
  void removingTheOnlyMemberLeavesAnEmptyObject() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth", "order").remove("anthropic"));
    assertThat(text).isEqualTo(fileWith("""
            order: {
              anthropic: ['anthropic:default'],
            },
        """, """
            order: {},
        """));
  }

  @Test
  void removingFromAOneLineObjectKeepsItOnOneLine() throws Exception {
    String gateway = "gateway: { port: 18789, bind: 'loopback', },";
    assertThat(edited(config(FILE), root -> at(root, "gateway").remove("bind")))
        .isEqualTo(fileWith(gateway, "gateway: { port: 18789, },"));
    assertThat(edited(config(FILE), root -> at(root, "gateway").remove("port")))
        .isEqualTo(fileWith(gateway, "gateway: { bind: 'loopback', },"));
    assertThat(edited(config(FILE), root -> at(root, "gateway").removeAll()))
        .isEqualTo(fileWith(gateway, "gateway: {},"));
    assertThat(edited(config(FILE), root -> at(root, "gateway").put("mode", "local").put("port", 1)))
        .isEqualTo(fileWith(gateway, "gateway: { port: 1, bind: 'loopback', mode: \"local\", },"));
  }

  @Test
  void aMemberAddedToAnEmptyObjectOpensItOverSeveralLines() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> at(root, "auth", "cooldowns").putObject("anthropic:default")
        .put("cooldownUntil", 1767225600000L));
    assertThat(text).isEqualTo(fileWith("""
            cooldowns: {},
        """, """
            cooldowns: {
              "anthropic:default": {
                cooldownUntil: 1767225600000,
              },
            },
        """));
  }

  @Test
  void aDeepNewPathIsOneNewMemberHoldingTheNestedObjects() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> {
      ObjectNode agents = at(root, "agents");
      ObjectNode entries = agents.get("entries") instanceof ObjectNode e ? e : agents.putObject("entries");
      entries.putObject("work").put("workspace", "~/clawd-work").put("default", false);
    });
    assertThat(text).isEqualTo(fileWith("""
            list: [
              { id: 'main', default: true },
            ],
        """, """
            list: [
              { id: 'main', default: true },
            ],
            entries: {
              work: {
                workspace: "~/clawd-work",
                default: false,
              },
            },
        """));
  }

  @Test
  void anAppendedAgentIsLaidOutLikeItsSiblingWhenItFitsOnALine() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> {
      ArrayNode list = (ArrayNode) at(root, "agents").get("list");
      list.addObject().put("id", "work");
      list.addObject().put("id", "ops").put("name", "ops").put("workspace", "/home/someone/clawd-ops")
          .put("agentDir", "/home/someone/.openclaw/agents/ops/agent");
    });
    assertThat(text).isEqualTo(fileWith("""
              { id: 'main', default: true },
        """, """
              { id: 'main', default: true },
              { id: "work" },
              {
                id: "ops",
                name: "ops",
                workspace: "/home/someone/clawd-ops",
                agentDir: "/home/someone/.openclaw/agents/ops/agent",
              },
        """));
  }

  @Test
  void severalEditsAtOnce() throws Exception {
    Path file = config(FILE);
    String text = edited(file, root -> {
      at(root, "auth", "profiles").remove("openai:default");
      at(root, "auth", "profiles").putObject("anthropic:work").put("provider", "anthropic").put("mode", "token");
      at(root, "auth", "order").putArray("anthropic").add("anthropic:work").add("anthropic:default");
      at(root, "agents", "defaults").remove("workspace");
      at(root, "agents", "defaults", "model").put("primary", "anthropic/claude-sonnet-4-5");
      root.putObject("env").put("OPENAI_BASE_URL", "https://llm.internal/v1");
    });
    assertThat(text).isEqualTo("""
        // OpenClaw config, written by hand
        {
          # which model
          agents: {
            defaults: {
              model: { primary: "anthropic/claude-sonnet-4-5", fallbacks: ['openai/gpt-5', 'google/gemini-3'] }, // main
            },
            list: [
              { id: 'main', default: true },
            ],
          },

          /* auth: profiles and their order */
          auth: {
            profiles: {
              // the API key
              'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
              "anthropic:work": { provider: "anthropic", mode: "token" },
            },
            order: {
              anthropic: ["anthropic:work", "anthropic:default"],
            },
            cooldowns: {},
          },
          gateway: { port: 18789, bind: 'loopback', },
          env: { OPENAI_BASE_URL: "https://llm.internal/v1" },
        }
        """);
  }

  @Test
  void crlfLineEndingsAndAByteOrderMarkAreKept() throws Exception {
    String crlf = "\uFEFF" + FILE.replace("\n", "\r\n");
    Path file = config(crlf);
    String text = edited(file, root -> {
      at(root, "auth", "cooldowns").putObject("anthropic:default").put("errorCount", 1);
      at(root, "auth", "profiles").remove("anthropic:default");
      ((ArrayNode) at(root, "agents").get("list")).addObject().put("id", "work");
    });
    assertThat(text).isEqualTo("\uFEFF" + FILE
        .replace("""
                  'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
            """, "")
        .replace("""
                cooldowns: {},
            """, """
                cooldowns: {
                  "anthropic:default": {
                    errorCount: 1,
                  },
                },
            """)
        .replace("""
                  { id: 'main', default: true },
            """, """
                  { id: 'main', default: true },
                  { id: "work" },
            """)
        .replace("\n", "\r\n"));
  }

  @Test
  void aFileOpenClawWroteStaysAsOpenClawWouldWriteIt() throws Exception {
    ObjectNode tree = (ObjectNode) Json.parseJson5(dir, FILE);
    Path file = config(JsonText.pretty(tree));
    String text = edited(file, root -> {
      at(root, "auth", "profiles").putObject("anthropic:work").put("provider", "anthropic").put("mode", "token");
      at(root, "auth", "profiles").remove("openai:default");
      at(root, "auth", "cooldowns").putObject("x").put("n", 1);
      at(root, "auth", "order").putArray("anthropic");
      ((ArrayNode) at(root, "agents").get("list")).addObject().put("id", "work");
      at(root, "gateway").remove("bind");
      root.put("last", true);
    });
    assertThat(text).isEqualTo(JsonText.pretty(Json.parseJson5(file, text)));
    assertThat(text).contains("""
              "anthropic:work": {
                "provider": "anthropic",
                "mode": "token"
              }
            },
        """).endsWith("""
          "gateway": {
            "port": 18789
          },
          "last": true
        }
        """);
  }

  @Test
  void inAFileWithQuotedKeysNewKeysAreQuotedAndTheLastMembersCommaIsMoved() throws Exception {
    Path file = config("""
        {
          // comment
          "a": 1,
          "b": [
            1,
            2
          ]
        }
        """);
    assertThat(edited(file, root -> root.put("c", "x"))).isEqualTo("""
        {
          // comment
          "a": 1,
          "b": [
            1,
            2
          ],
          "c": "x"
        }
        """);
    assertThat(edited(file, root -> root.remove("c"))).isEqualTo("""
        {
          // comment
          "a": 1,
          "b": [
            1,
            2
          ]
        }
        """);
    assertThat(edited(file, root -> ((ArrayNode) root.get("b")).remove(1))).isEqualTo("""
        {
          // comment
          "a": 1,
          "b": [
            1
          ]
        }
        """);
  }

  @Test
  void tabsAreTheIndentWhereTheFileUsesThem() throws Exception {
    Path file = config("{\n\tauth: {\n\t\tprofiles: {\n\t\t},\n\t},\n}\n");
    assertThat(edited(file, root -> at(root, "auth", "profiles").putObject("a b").put("mode", "token")))
        .isEqualTo("{\n\tauth: {\n\t\tprofiles: {\n\t\t\t\"a b\": {\n\t\t\t\tmode: \"token\",\n\t\t\t},\n\t\t},\n\t},\n}\n");
  }

  @Test
  void keysThatAreNotIdentifiersAreQuotedAndEscaped() throws Exception {
    Path file = config("{a: 1}\n");
    String text = edited(file, root -> root.put("x-api-key", 1).put("1st", 2).put("say \"hi\"", 3).put("ok_$1", 4)
        .put("line\nbreak", 5));
    assertThat(text).isEqualTo("{a: 1, \"x-api-key\": 1, \"1st\": 2, \"say \\\"hi\\\"\": 3, ok_$1: 4, \"line\\nbreak\": 5}\n");
  }

  @Test
  void aScalarReplacedByAnObjectIsWrittenOnOneLineWhenItFits() throws Exception {
    Path file = config("{\n  agents: { defaults: { model: 'openai/gpt-5' } }, // short\n}\n");
    String text = edited(file, root -> at(root, "agents", "defaults").putObject("model")
        .put("primary", "openai/gpt-5").putArray("fallbacks").add("anthropic/claude-opus-4-5"));
    assertThat(text).isEqualTo("{\n  agents: { defaults: { model: { primary: \"openai/gpt-5\", fallbacks: "
        + "[\"anthropic/claude-opus-4-5\"] } } }, // short\n}\n");
  }

  @Test
  void aMemberGoesAfterCommentsInAnObjectThatHasNoMembers() throws Exception {
    Path file = config("{\n  profiles: {\n    // none yet\n  },\n}\n");
    assertThat(edited(file, root -> at(root, "profiles").put("a", 1)))
        .isEqualTo("{\n  profiles: {\n    // none yet\n    a: 1,\n  },\n}\n");
    Path inline = config("{profiles: { /* none yet */ }}");
    assertThat(edited(inline, root -> at(root, "profiles").put("a", 1)))
        .isEqualTo("{profiles: { /* none yet */ a: 1 }}");
  }

  @Test
  void aRepeatedKeyIsSetWhereItCountsAndRemovedEverywhere() throws Exception {
    Path file = config("{\n  a: 1,\n  b: 2,\n  a: 3,\n}\n");
    assertThat(edited(file, root -> root.put("a", 4))).isEqualTo("{\n  a: 1,\n  b: 2,\n  a: 4,\n}\n");
    assertThat(edited(file, root -> root.remove("a"))).isEqualTo("{\n  b: 2,\n}\n");
  }

  @Test
  void anEmptyObjectFileGetsItsFirstMembersAsOpenClawWouldWriteThem() throws Exception {
    Path file = config("{}\n");
    String text = edited(file, root -> root.putObject("auth").putObject("profiles").putObject("anthropic:default")
        .put("provider", "anthropic").put("mode", "api_key"));
    assertThat(text).isEqualTo(JsonText.pretty(Json.parseJson5(file, text)));
  }

  @Test
  void theCommaGoesBeforeTheLastMembersTrailingComment() throws Exception {
    Path file = config("{\n  a: 1 // one\n}\n");
    assertThat(edited(file, root -> root.put("b", 2))).isEqualTo("{\n  a: 1, // one\n  b: 2\n}\n");
  }

  @Test
  void emptyingAnArrayKeepsTheCommentsInsideIt() throws Exception {
    Path file = config("{\n  order: [\n    // keep me\n    'a',\n    'b',\n  ],\n}\n");
    assertThat(edited(file, root -> root.putArray("order"))).isEqualTo("{\n  order: [\n    // keep me\n  ],\n}\n");
  }

  @Test
  void elementsPutIntoAnEmptyArrayGoAfterTheCommentsInIt() throws Exception {
    Path file = config("{\n  order: [\n    // none yet\n  ],\n}\n");
    assertThat(edited(file, root -> root.putArray("order").add("a").add("b")))
        .isEqualTo("{\n  order: [\n    // none yet\n    \"a\",\n    \"b\",\n  ],\n}\n");
  }

  @Test
  void anElementChangedInPlaceKeepsTheCommentsOfTheOthersAndAReorderedArrayIsWrittenAnew() throws Exception {
    String original = "{\n  order: [\n    'a', // first\n    'b', // second\n  ],\n}\n";
    Path file = config(original);
    assertThat(edited(file, root -> ((ArrayNode) root.get("order")).set(1, "c").add("d")))
        .isEqualTo("{\n  order: [\n    'a', // first\n    \"c\", // second\n    \"d\",\n  ],\n}\n");
    file = config(original);
    assertThat(edited(file, root -> root.putArray("order").add("b").add("a")))
        .isEqualTo("{\n  order: [\n    \"b\",\n    \"a\",\n  ],\n}\n");
  }

  @Test
  void anEditThatChangesNothingLeavesTheFileAndMakesNoBackup() throws Exception {
    Path file = config(FILE);
    ConfigFile.Written w = ConfigFile.write(file, root -> at(root, "gateway").put("port", 18789L));
    assertThat(w.outcome()).isEqualTo(ConfigFile.Outcome.UNCHANGED);
    assertThat(StateFixture.read(file)).isEqualTo(FILE);
    assertThat(dir.resolve("openclaw.json.bak")).doesNotExist();
  }

  @Test
  void aMissingFileIsCreatedAsPlainJson() throws Exception {
    Path file = dir.resolve("sub/openclaw.json");
    ConfigFile.Written w = ConfigFile.write(file, root -> root.putObject("auth").putObject("profiles"));
    assertThat(w.outcome()).isEqualTo(ConfigFile.Outcome.CREATED);
    assertThat(StateFixture.read(file)).isEqualTo("{\n  \"auth\": {\n    \"profiles\": {}\n  }\n}\n");
    assertThat(dir.resolve("sub/openclaw.json.bak")).doesNotExist();
  }

  @Test
  void textTheEditorDoesNotFollowIsRewrittenAsPlainJsonAndTheBackupKeepsIt() throws Exception {
    // Jackson reads an unquoted key with '#' in it; the editor takes the '#' for a comment.
    String original = "{\n  // mine\n  odd#key: 1,\n  a: 2,\n}\n";
    Path file = config(original);
    ConfigFile.Written w = ConfigFile.write(file, root -> root.put("a", 3));
    assertThat(w.outcome()).isEqualTo(ConfigFile.Outcome.REWRITTEN);
    assertThat(StateFixture.read(file)).isEqualTo("{\n  \"odd#key\": 1,\n  \"a\": 3\n}\n");
    assertThat(StateFixture.read(dir.resolve("openclaw.json.bak"))).isEqualTo(original);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(dir.resolve("openclaw.json.bak")));
  }

  @Test
  void anEditWhoseTextWouldNotReadBackAsTheEditedTreeIsNotMade() throws Exception {
    // The tree says there is a "b" the text does not have: the edit reads back wrong and is refused.
    String text = "{a: 1}";
    JsonNode before = Json.parseJson5(dir, "{a: 1, b: 1}");
    JsonNode after = Json.parseJson5(dir, "{a: 2, b: 1}");
    assertThat(Json5Edits.apply(dir, text, before, after)).isEqualTo(Optional.empty());
    assertThat(Json5Edits.apply(dir, text, Json.parseJson5(dir, text), Json.parseJson5(dir, "{a: 2}")))
        .contains("{a: 2}");
  }
}
