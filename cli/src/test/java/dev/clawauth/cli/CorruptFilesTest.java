package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store or config that does not parse stops every command with one line naming file, line and
 * column, and is never written over (spec README, item 2).
 */
final class CorruptFilesTest {
  // The secret sits in an unquoted token right where parsing fails, so the message must not quote it.
  private static final String CORRUPT_STORE = """
      {
        "version": 1,
        "profiles": {
          "anthropic:default": {"type": "api_key", "provider": "anthropic", "key": %s}
        }
      }
      """.formatted(TestSecrets.get("ANTHROPIC_KEY"));

  @TempDir
  Path tmp;
  Scenario s;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
  }

  private void assertRefused(ClawauthProcess.Result r, Path file, String before, String at) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
        .startsWith("Error: " + file + ":" + at + ": ")
        .contains("Clawauth will not overwrite it")
        .doesNotContain(TestSecrets.get("ANTHROPIC_KEY").substring(13));
    assertThat(s.read(file)).isEqualTo(before);
    try (var left = Files.list(file.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .as("no temp file or lock left behind").allMatch(n -> !n.endsWith(".tmp") && !n.endsWith(".lock"));
    }
  }

  @Test
  void everyStoreCommandRefusesACorruptStoreAndLeavesItAlone() throws Exception {
    Path store = s.writeStore(CORRUPT_STORE);
    for (List<String> cmd : List.of(
        List.of("models", "status"),
        List.of("models", "status", "--json"),
        List.of("models", "status", "--check"),
        List.of("models", "auth", "order", "get", "--provider", "anthropic"),
        List.of("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default"),
        List.of("models", "auth", "order", "clear", "--provider", "anthropic"))) {
      assertRefused(s.run(cmd.toArray(String[]::new)), store, CORRUPT_STORE, "4:78");
    }
  }

  /**
   * A profile id given twice is one of two credentials the user must choose between: every command
   * names the id and where the second one is, and none rewrites the file keeping only one.
   */
  @Test
  void aDuplicateProfileIdIsNamedWithItsPlaceAndNoCommandDropsEither() throws Exception {
    String twice = """
        {
          "version": 1,
          "profiles": {
            "anthropic:work": {"type": "api_key", "provider": "anthropic", "key": "%s"},
            "anthropic:work": {"type": "api_key", "provider": "anthropic", "key": "%s"}
          }
        }
        """.formatted(TestSecrets.get("ANTHROPIC_KEY"), TestSecrets.get("ANTHROPIC_KEY_2"));
    Path store = s.writeStore(twice);
    for (List<String> cmd : List.of(
        List.of("models", "status"),
        List.of("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:work"),
        List.of("models", "auth", "remove", "anthropic:work", "--yes"),
        List.of("gateway", "--port", "0"))) {
      var r = s.run(cmd.toArray(String[]::new));
      assertRefused(r, store, twice, "5:5");
      assertThat(r.stderr()).as(r.toString()).contains("duplicate key \"anthropic:work\"")
          .contains("keep one of the two entries");
    }
    for (String[] doctor : List.of(new String[] {"doctor"}, new String[] {"doctor", "--fix", "--yes"})) {
      var r = s.run(doctor);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.stdout()).as(r.toString()).contains(store + " does not parse: line 5, column 5")
          .contains("duplicate key \"anthropic:work\"").contains("fix line 5, column 5 by hand")
          .doesNotContain(TestSecrets.get("ANTHROPIC_KEY").substring(13));
      assertThat(s.read(store)).isEqualTo(twice);
    }
  }

  /** The gateway has nothing to serve from a store it cannot read: it does not start, and says where. */
  @Test
  void theGatewayDoesNotStartOnACorruptStore() throws Exception {
    Path store = s.writeStore(CORRUPT_STORE);
    assertRefused(s.run("gateway", "--port", "0"), store, CORRUPT_STORE, "4:78");
  }

  @Test
  void verboseAddsTheStackTraceAfterTheLine() throws Exception {
    Path store = s.writeStore(CORRUPT_STORE);
    var r = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default", "--verbose");
    assertThat(r.exitCode()).isEqualTo(1);
    List<String> lines = r.stderr().lines().toList();
    assertThat(lines.getFirst()).startsWith("Error: " + store + ":4:78: ");
    assertThat(lines).hasSizeGreaterThan(2);
    assertThat(lines.get(1)).contains("JsonFileException");
    assertThat(lines).anyMatch(l -> l.trim().startsWith("at dev.clawauth."));
    assertThat(r.stderr()).doesNotContain(TestSecrets.get("ANTHROPIC_KEY"));
    assertThat(s.read(store)).isEqualTo(CORRUPT_STORE);
  }

  @Test
  void truncatedStoreIsRefusedAtItsEnd() throws Exception {
    String truncated = s.example("auth-profiles.after-onboard.json").substring(0, 60);
    Path store = s.writeStore(truncated);
    var r = s.run("models", "status");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines()).singleElement().asString().startsWith("Error: " + store + ":");
    assertThat(s.read(store)).isEqualTo(truncated);
  }

  @Test
  void json5ConfigSyntaxErrorIsOneLineWithLineAndColumnAndTheFileIsUntouched() throws Exception {
    String config = "{\n  // hand-written\n  agents: { defaults: { model: 'anthropic/claude-opus-4-5' } ,\n  auth: ]\n}\n";
    Path file = s.writeConfig("openclaw.json", config);
    for (List<String> cmd : List.of(List.of("models", "status"),
        List.of("models", "auth", "order", "clear", "--provider", "anthropic"))) {
      var r = s.run(cmd.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
          .startsWith("Error: " + file + ":4:9: ");
      assertThat(s.read(file)).isEqualTo(config);
    }
    assertThat(s.store()).doesNotExist();
  }

  @Test
  void json5ConfigWithCommentsTrailingCommasAndSingleQuotesIsRead() throws Exception {
    s.writeConfig("openclaw.json", """
        // hand-written
        {
          agents: { defaults: { model: { primary: 'openai/gpt-5', fallbacks: ['anthropic/claude-opus-4-5',], }, }, },
        }
        """);
    var r = s.run("models", "status", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("\"defaultModel\": \"openai/gpt-5\"")
        .contains("\"missingProvidersInUse\": [\n      \"openai\",\n      \"anthropic\"\n    ]");
  }

  @Test
  void unreadableStoreIsOneLineWithTheVerboseHintOnIt() throws Exception {
    java.nio.file.Files.createDirectories(s.store());
    var r = s.run("models", "status");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
        .startsWith("Error: ").contains(s.store().toString()).endsWith("(run again with --verbose for details)");
    var verbose = s.run("models", "status", "--verbose");
    assertThat(verbose.stderr().lines().count()).isGreaterThan(2);
  }
}
