package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.cli.DocCommands.DocCommand;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code clawauth …} command that README.md and docs/ print, as written, against the
 * real jar in a temp state holding a few profiles, so that a renamed command or a misspelled
 * option in a document fails the build. Placeholders get values from {@link #BY_OPTION} and
 * {@link #BY_PLACEHOLDER}; the few commands that would wait or reach the network run with
 * {@code --help} instead, each for the reason {@link #HELP_INSTEAD} gives.
 */
final class DocCommandsTest {
  static final String TOKEN = TestSecrets.get("ANTHROPIC_TOKEN");
  static final String API_KEY = TestSecrets.get("ANTHROPIC_KEY");
  static final String OPENROUTER_KEY = TestSecrets.get("OPENROUTER_KEY");
  static final String ACCESS = TestSecrets.get("OAUTH_ACCESS");
  static final String REFRESH = TestSecrets.get("OAUTH_REFRESH");

  /** A command that cannot run here as written: it runs with {@code --help}, for this reason. */
  record Instead(String reason, Predicate<List<String>> applies) {}

  static final List<Instead> HELP_INSTEAD = List.of(
      new Instead("`gateway` without a subcommand serves until stopped",
          a -> a.getFirst().equals("gateway") && (a.size() == 1 || a.get(1).startsWith("-"))),
      new Instead("`chat` talks to a running gateway", a -> a.getFirst().equals("chat")),
      new Instead("`login` without --paste waits for a browser", a -> starts(a, "models", "auth", "login") && !a.contains("--paste")),
      new Instead("`setup-token` runs `claude setup-token`", a -> starts(a, "models", "auth", "setup-token")),
      new Instead("`refresh` and `--probe` call the providers", a -> starts(a, "models", "auth", "refresh") || a.contains("--probe")),
      new Instead("`gateway|monitor install|uninstall|restart` change this machine's systemd, launchd or crontab",
          a -> (a.getFirst().equals("gateway") || a.getFirst().equals("monitor")) && a.size() > 1
              && Set.of("install", "uninstall", "restart").contains(a.get(1)) && !a.contains("--print")),
      new Instead("`store migrate` to PostgreSQL and `store rekey` need a database server",
          a -> starts(a, "store", "rekey") || starts(a, "store", "migrate") && a.stream().anyMatch(w -> w.startsWith("postgresql:"))));

  /** Commands that only read: they must succeed on the seeded state. */
  static final List<List<String>> READ_ONLY = List.of(List.of("models", "status"), List.of("models", "auth", "list"),
      List.of("models", "auth", "order", "get"), List.of("agents", "list"), List.of("channels", "list"),
      List.of("doctor"), List.of("gateway", "token"), List.of("gateway", "keys", "list"));

  /** The value of a placeholder, by the option it follows (whatever the document wrote for it). */
  static final Map<String, String> BY_OPTION = Map.of("--agent", "main", "--port", "18790", "--name", "laptop",
      "--models", "anthropic/claude-sonnet-4-5", "--expires-in", "30d", "--every", "1h", "--notify", "true",
      "--url", "http://127.0.0.1:9");

  /** The value of a placeholder or a secret elided in a document. */
  static final Map<String, String> BY_PLACEHOLDER = Map.ofEntries(
      Map.entry("<id>", "anthropic:work"), Map.entry("<profileId>", "anthropic:work"),
      Map.entry("<p>", "anthropic"), Map.entry("<provider>", "anthropic"), Map.entry("<agentId>", "main"),
      Map.entry("<model>", "anthropic/claude-sonnet-4-5"), Map.entry("<alias-or-id>", "anthropic/claude-sonnet-4-5"),
      Map.entry("<name>", "laptop"), Map.entry("<key>", API_KEY), Map.entry("$KEY", API_KEY),
      Map.entry("$ANTHROPIC_API_KEY", API_KEY), Map.entry("$OPENROUTER_API_KEY", OPENROUTER_KEY),
      Map.entry("$TOKEN", TOKEN), Map.entry("<setup-token>", TOKEN), Map.entry("<token>", TOKEN),
      Map.entry("sk-ant-api03-…", API_KEY), Map.entry("sk-ant-…", API_KEY), Map.entry("sk-ant-oat01-…", TOKEN),
      Map.entry("sk-or-…", OPENROUTER_KEY), Map.entry("sk-or-v1-…", OPENROUTER_KEY));

  private static final Pattern UNFILLED = Pattern.compile("<[A-Za-z][\\w-]*>|\\$[A-Za-z_{(]|…");
  private static final Pattern USAGE_ERROR = Pattern.compile(
      "Unknown option|Unmatched argument|Missing required|Invalid value for option|Unknown subcommand");
  private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|Exception in thread|^[\\w.$]+(Exception|Error): ");

  @TempDir
  Path temp;

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandRunsAsWritten() throws Exception {
    List<DocCommand> commands = DocCommands.extract(DocCommands.repositoryRoot());
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      DocCommand c = commands.get(i);
      Path dir = temp.resolve("c" + i);
      tests.add(DynamicTest.dynamicTest(c.where() + ": " + c.text(), () -> runAsWritten(c, dir)));
    }
    return tests.stream();
  }

  @Test
  void theDocumentsInEveryLanguageHaveCommandsToCheck() throws Exception {
    List<DocCommand> commands = DocCommands.extract(DocCommands.repositoryRoot());
    assertThat(commands).hasSizeGreaterThan(40);
    for (String dir : List.of("docs/zh-CN/", "docs/ru/")) {
      assertThat(commands).as(dir).anyMatch(c -> c.file().startsWith(dir));
    }
  }

  @Test
  void extractsCommandsAsAShellWouldPassThem() {
    List<DocCommand> found = DocCommands.extract("x.md", List.of(
        "clawauth outside a block",
        "```bash",
        "$ clawauth models status --json | jq .   # a comment",
        "bin/clawauth models auth paste-token \\",
        "    --provider 'open router' --profile-id <profileId> 2>/dev/null",
        "export X=1",
        "```",
        "```json",
        "clawauth in json",
        "```",
        "```",
        "clawauth doctor --fix # repair",
        "```"));
    assertThat(found).extracting(DocCommand::line).containsExactly(3, 4, 12);
    assertThat(found).extracting(DocCommand::args).containsExactly(
        List.of("models", "status", "--json"),
        List.of("models", "auth", "paste-token", "--provider", "open router", "--profile-id", "<profileId>"),
        List.of("doctor", "--fix"));
  }

  private void runAsWritten(DocCommand c, Path dir) throws Exception {
    Scenario s = new Scenario(dir);
    seed(s);
    List<String> args = fill(c.args(), s);
    List<String> unfilled = args.stream().filter(w -> UNFILLED.matcher(w).find()).toList();
    assertThat(unfilled).as(c.where() + ": placeholders with no value in DocCommandsTest's tables").isEmpty();
    Optional<Instead> instead = HELP_INSTEAD.stream().filter(r -> r.applies().test(args)).findFirst();
    List<String> run = new ArrayList<>(args);
    if (instead.isPresent()) {
      run.add("--help");
    }
    ClawauthProcess.Result r = s.clawauth.runWithInput(null, run.toArray(String[]::new));
    String what = c.where() + " ran `clawauth " + String.join(" ", run) + "`"
        + instead.map(i -> " (--help: " + i.reason() + ")").orElse("") + "\n" + TestSecrets.redact(r.toString());
    assertThat(r.stdout() + r.stderr()).as(what).doesNotContainPattern(USAGE_ERROR);
    assertThat(r.stdout() + r.stderr()).as(what).doesNotContainPattern(STACK_TRACE);
    assertThat(r.exitCode()).as(what).isNotEqualTo(2);
    if (instead.isPresent()) {
      // picocli answers --help with the nearest command's usage, so a misspelled subcommand would pass unnoticed.
      List<String> path = args.stream().takeWhile(w -> !w.startsWith("-")).filter(w -> w.matches("[a-z][a-z0-9-]*")).toList();
      assertThat(r.stdout()).as(what).contains(String.join(" ", Stream.concat(Stream.of("Usage:", "clawauth"), path.stream()).toList()) + " [");
    }
    if (run.contains("--help") || READ_ONLY.stream().anyMatch(p -> starts(args, p.toArray(String[]::new)))) {
      assertThat(r.exitCode()).as(what).isZero();
    }
    assertNoSecret(r, TOKEN, API_KEY, OPENROUTER_KEY, ACCESS, REFRESH);
  }

  private static List<String> fill(List<String> words, Scenario s) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String option = i > 0 ? words.get(i - 1) : "";
      if (Set.of("--out", "--workspace").contains(option)) {
        out.add(s.home.resolve(option.substring(2) + "-" + i).toString());
      } else if (BY_OPTION.containsKey(option) && UNFILLED.matcher(w).find()) {
        out.add(BY_OPTION.get(option));
      } else {
        out.add(BY_PLACEHOLDER.getOrDefault(w, w));
      }
    }
    return out;
  }

  private static boolean starts(List<String> args, String... path) {
    return args.size() >= path.length && args.subList(0, path.length).equals(List.of(path));
  }

  /** A state a reader could have: agents main and work, an Anthropic setup-token, Codex OAuth, an OpenRouter key. */
  private static void seed(Scenario s) throws Exception {
    long now = System.currentTimeMillis();
    StateFiles.dir(s.state, "rwx------");
    StateFiles.file(s.state.resolve("openclaw.json"), """
        {
          agents: {
            defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } },
            list: [ { id: 'main' }, { id: 'work' } ]
          }
        }
        """, "rw-------");
    StateFiles.dir(s.agentDir("main"), "rwx------");
    StateFiles.file(s.store("main"), """
        {
          "version": 1,
          "profiles": {
            "anthropic:work": {"type": "token", "provider": "anthropic", "token": "%s", "expires": %d},
            "openai-codex:default": {"type": "oauth", "provider": "openai-codex", "access": "%s", "refresh": "%s",
                                     "expires": %d, "accountId": "acct-docs"},
            "openrouter:default": {"type": "api_key", "provider": "openrouter", "key": "%s"}
          }
        }
        """.formatted(TOKEN, now + 300L * 86_400_000, ACCESS, REFRESH, now + 10L * 86_400_000, OPENROUTER_KEY),
        "rw-------");
    StateFiles.dir(s.agentDir("work"), "rwx------");
    StateFiles.file(s.store("work"), """
        {"version": 1, "profiles": {"anthropic:default": {"type": "api_key", "provider": "anthropic", "key": "%s"}}}
        """.formatted(API_KEY), "rw-------");
    assertThat(Files.isRegularFile(s.store("work"))).isTrue();
  }
}
