package dev.clawauth.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.Json;
import dev.clawauth.testing.TestSecrets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clawauth and the real OpenClaw 2026.9.6 CLI on one state directory whose credentials live in
 * OpenClaw's SQLite store, in both directions: what one writes, the other shows the same way
 * (profiles, order, agents, the {@code --check} verdict), and Clawauth's gateway serves with it;
 * and a directory Clawauth made first keeps working after OpenClaw's {@code doctor --fix} imports it.
 * Needs {@code OPENCLAW_BIN} (see {@link OpenClaw9}); skipped without it.
 *
 * <p>The tools are compared through their own outputs: {@code models status --json --check}
 * (whose exit code is the check's), {@code models auth order get --json} and
 * {@code agents list --json}. Secrets reach OpenClaw on stdin, as a user pastes them.
 */
@EnabledIfEnvironmentVariable(named = "OPENCLAW_BIN", matches = ".+",
    disabledReason = "OPENCLAW_BIN is not set: install the 2026.9 CLI with "
        + ".ci/install-openclaw-2026.9.sh DIR and export OPENCLAW_BIN=DIR/openclaw")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClaw9InteropTest {
  static final String KEY = TestSecrets.get("OC9_API_KEY");
  static final String TOKEN_MAIN = TestSecrets.get("OC9_TOKEN_MAIN");
  static final String TOKEN_WORK = TestSecrets.get("OC9_TOKEN_WORK");
  static final String TOKEN_CLAWAUTH = TestSecrets.get("OC9_TOKEN_CLAWAUTH");
  /** The model OpenClaw's onboard configures (and allows) for Anthropic. */
  static final String MODEL = "claude-opus-5";

  /**
   * A state directory that OpenClaw wrote (see {@link #openClawWrites}). Tests only read it, but
   * for the gateway's usage records and main's order, which the gateway test has OpenClaw turn
   * round; the comparison of both tools holds either way.
   */
  @TempDir
  static Path written;
  OpenClaw9 writtenByOpenClaw;
  ClawauthProcess clawauthOnIt;

  HttpServer provider;
  final List<String> seenCredentials = new CopyOnWriteArrayList<>();

  /**
   * OpenClaw writes everything: onboard (an API key into the shared store), a token for main, a
   * second agent with a token of its own (its own database), and an order for each agent (each in
   * that agent's database). The config then points Anthropic at a fake provider, which OpenClaw
   * accepts as well.
   */
  @BeforeAll
  void openClawWrites() throws Exception {
    provider = fakeAnthropic(seenCredentials);
    Path home = written.resolve("home");
    Path state = written.resolve("state");
    writtenByOpenClaw = new OpenClaw9(home, state);
    clawauthOnIt = new ClawauthProcess(Files.createDirectories(home), state);
    OpenClaw9 oc = writtenByOpenClaw;
    ok(oc.run(null, "onboard", "--non-interactive", "--accept-risk", "--skip-health", "--anthropic-api-key", KEY));
    ok(oc.run(TOKEN_MAIN, "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:oc-main"));
    ok(oc.run(null, "agents", "add", "work", "--non-interactive", "--workspace", home.resolve("work-ws").toString()));
    ok(oc.run(TOKEN_WORK, "models", "auth", "paste-token", "--agent", "work", "--provider", "anthropic",
        "--profile-id", "anthropic:oc-work"));
    ok(oc.run(null, "models", "auth", "order", "set", "--agent", "main", "--provider", "anthropic",
        "anthropic:oc-main", "anthropic:default"));
    ok(oc.run(null, "models", "auth", "order", "set", "--agent", "work", "--provider", "anthropic",
        "anthropic:oc-work", "anthropic:default"));
    ConfigFile.update(state.resolve("openclaw.json"), root -> ((ObjectNode) root).withObject("/models")
        .withObject("/providers").withObject("/anthropic").put("baseUrl", "http://127.0.0.1:" + provider.getAddress().getPort()));
  }

  @AfterAll
  void stopProvider() {
    if (provider != null) {
      provider.stop(0);
    }
  }

  @Test
  void clawauthShowsWhatOpenClawWroteTheSameWay() throws Exception {
    Path state = writtenByOpenClaw.state();
    assertThat(jsonStores(state)).as("no auth-profiles.json: the credentials are only in SQLite").isEmpty();
    Compared c = compare(writtenByOpenClaw, clawauthOnIt, List.of("main", "work"), true);

    SoftAssertions softly = new SoftAssertions();
    c.assertAgree(softly);
    softly.assertThat(c.theirs.get("main").exitCode()).as("OpenClaw's --check for main").isZero();
    softly.assertThat(labels(c.theirStatus("work"))).as("OpenClaw's profiles for work")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:oc-main", "anthropic:oc-work");
    softly.assertThat(c.theirOrder("work")).as("OpenClaw's order for work")
        .isEqualTo("[\"anthropic:oc-work\",\"anthropic:default\"]");
    softly.assertAll();
  }

  @Test
  void gatewayServesWithACredentialOnlyTheSqliteStoreHolds() throws Exception {
    assertThat(jsonStores(writtenByOpenClaw.state())).isEmpty();
    ClawauthProcess.Gateway gateway = clawauthOnIt.startGateway();
    try {
      var token = clawauthOnIt.run("gateway", "token");
      assertThat(token.exitCode()).as("%s", token).isZero();
      HttpResponse<String> r = send(gateway.url(), token.stdout().strip());
      assertThat(r.statusCode()).as("the gateway's answer: %s", r.body()).isEqualTo(200);
      // main's order, which OpenClaw's `order set` put in main's own database, puts its pasted token first.
      assertThat(named(seenCredentials)).containsExactly("<OC9_TOKEN_MAIN>");

      // While it runs, OpenClaw turns main's order round: its next request follows.
      ok(writtenByOpenClaw.run(null, "models", "auth", "order", "set", "--agent", "main", "--provider", "anthropic",
          "anthropic:default", "anthropic:oc-main"));
      r = send(gateway.url(), token.stdout().strip());
      assertThat(r.statusCode()).as("the gateway's answer: %s", r.body()).isEqualTo(200);
      assertThat(named(seenCredentials)).containsExactly("<OC9_TOKEN_MAIN>", "<OC9_API_KEY>");
    } finally {
      stopGateway(gateway.process());
    }
    // What the gateway recorded in the store (last used, last good) leaves it readable for OpenClaw.
    OpenClaw9.Result status = writtenByOpenClaw.status("main");
    assertThat(status.exitCode()).as("%s", status).isZero();
  }

  /**
   * A directory where OpenClaw only stored a token (no onboard, so no model configured): both
   * tools name the same default model and give the same {@code --check} verdict.
   */
  @Test
  void bothCheckTheSameDefaultModelWhenNoneIsConfigured(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    OpenClaw9 oc = new OpenClaw9(home, state);
    ok(oc.run(TOKEN_MAIN, "models", "auth", "paste-token", "--provider", "anthropic"));
    OpenClaw9.Result theirs = oc.status("main");
    ClawauthProcess.Result ours = new ClawauthProcess(home, state).run("models", "status", "--json", "--check",
        "--agent", "main");
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(ours.exitCode()).as("--check exit code: Clawauth's vs OpenClaw's (%s)", theirs).isEqualTo(theirs.exitCode());
    if (theirs.stdout().contains("\"auth\"") && ours.stdout().contains("\"auth\"")) {
      softly.assertThat(view(json(ours.stdout()))).as("models status --json: Clawauth's vs OpenClaw's")
          .isEqualTo(view(theirs.json()));
    }
    softly.assertAll();
  }

  /**
   * Clawauth writes on a directory OpenClaw made (onboard, a token, a second agent): a paste for
   * main and one for work, an order for work, a removal, a third agent. OpenClaw keeps exiting 0,
   * shows each of them, and both tools still agree. (An order for main is written in
   * {@link #aClawauthFirstDirectoryImportedByDoctorFix}.)
   */
  @Test
  void openClawShowsWhatClawauthWrote(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    OpenClaw9 oc = new OpenClaw9(home, state);
    ClawauthProcess clawauth = new ClawauthProcess(home, state);
    ok(oc.run(null, "onboard", "--non-interactive", "--accept-risk", "--skip-health", "--anthropic-api-key", KEY));
    // A token beside the key: OpenClaw also writes the config's auth.order for anthropic then.
    ok(oc.run(TOKEN_MAIN, "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:oc-main"));
    ok(oc.run(null, "agents", "add", "work", "--non-interactive", "--workspace", home.resolve("work-ws").toString()));

    ok(clawauth.runWithInput(TOKEN_CLAWAUTH, "models", "auth", "paste-token", "--agent", "main", "--provider", "anthropic",
        "--profile-id", "anthropic:ca-main"));
    ok(clawauth.runWithInput(TOKEN_WORK, "models", "auth", "paste-token", "--agent", "work", "--provider", "anthropic",
        "--profile-id", "anthropic:ca-work"));
    ok(clawauth.run("models", "auth", "order", "set", "--agent", "work", "--provider", "anthropic",
        "anthropic:ca-work", "anthropic:default"));
    ok(clawauth.run("models", "auth", "remove", "anthropic:oc-main", "--agent", "main", "--yes"));
    ok(clawauth.run("agents", "add", "ops", "--non-interactive", "--workspace", home.resolve("ops-ws").toString()));

    Compared c = compare(oc, clawauth, List.of("main", "work"), true);
    SoftAssertions softly = new SoftAssertions();
    for (String agent : List.of("main", "work")) {
      softly.assertThat(c.theirs.get(agent).exitCode()).as("OpenClaw's status --check for %s: %s", agent,
          c.theirs.get(agent)).isZero();
    }
    softly.assertThat(labels(c.theirStatus("main"))).as("OpenClaw's profiles for main")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:ca-main");
    softly.assertThat(labels(c.theirStatus("work"))).as("OpenClaw's profiles for work")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:ca-main", "anthropic:ca-work");
    softly.assertThat(c.theirOrder("work")).as("OpenClaw's order for work")
        .isEqualTo("[\"anthropic:ca-work\",\"anthropic:default\"]");
    softly.assertThat(c.theirOrder("main")).as("OpenClaw's order for main").isEqualTo("null");
    // main has no order of its own: OpenClaw's selection would use the token Clawauth pasted, as it
    // does one it pasted itself.
    softly.assertThat(effectiveProfiles(c.theirStatus("main"))).as("the profiles OpenClaw would select for main")
        .contains("anthropic:ca-main");
    softly.assertThat(c.theirAgents().keySet()).as("OpenClaw's agents").containsExactly("main", "ops", "work");
    softly.assertThat(c.theirAgents().get("ops")).as("OpenClaw's ops agent dir")
        .isEqualTo(state.resolve("agents/ops/agent") + " default=false");
    c.assertAgree(softly);
    softly.assertAll();
  }

  /**
   * A directory Clawauth made first (its 2026.1-shaped files), imported by OpenClaw's
   * {@code doctor --fix}: both then agree, and what Clawauth writes afterwards lands where
   * OpenClaw reads it.
   */
  @Test
  void aClawauthFirstDirectoryImportedByDoctorFix(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    OpenClaw9 oc = new OpenClaw9(home, state);
    ClawauthProcess clawauth = new ClawauthProcess(home, state);
    ok(clawauth.run("onboard", "--non-interactive", "--anthropic-api-key", KEY));
    ok(clawauth.runWithInput(TOKEN_CLAWAUTH, "models", "auth", "paste-token", "--provider", "anthropic",
        "--profile-id", "anthropic:ca-token"));
    ok(clawauth.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:ca-token", "anthropic:default"));
    ok(clawauth.run("agents", "add", "work", "--non-interactive", "--workspace", home.resolve("work-ws").toString()));
    assertThat(jsonStores(state)).as("Clawauth's first store").hasSize(1);

    ok(oc.run(null, "doctor", "--fix", "--non-interactive"));
    assertThat(jsonStores(state)).as("auth-profiles.json after OpenClaw imported it").isEmpty();

    Compared imported = compare(oc, clawauth, List.of("main", "work"), true);
    SoftAssertions softly = new SoftAssertions();
    imported.assertAgree(softly);
    softly.assertThat(json(imported.ours.get("main").stdout()).path("auth").path("storeKind").asText())
        .as("Clawauth's store after the import").isEqualTo("sqlite");
    softly.assertThat(labels(imported.theirStatus("work"))).as("OpenClaw's profiles for work after the import")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:ca-token");
    for (String agent : List.of("main", "work")) {
      softly.assertThat(imported.theirOrder(agent)).as("OpenClaw's order for %s", agent)
          .isEqualTo("[\"anthropic:ca-token\",\"anthropic:default\"]");
    }
    softly.assertAll();

    ok(clawauth.runWithInput(TOKEN_WORK, "models", "auth", "paste-token", "--agent", "work", "--provider", "anthropic",
        "--profile-id", "anthropic:ca-work"));
    ok(clawauth.runWithInput(TOKEN_MAIN, "models", "auth", "paste-token", "--agent", "main", "--provider", "anthropic",
        "--profile-id", "anthropic:ca-main"));
    ok(clawauth.run("models", "auth", "order", "set", "--agent", "main", "--provider", "anthropic",
        "anthropic:default", "anthropic:ca-token"));

    Compared later = compare(oc, clawauth, List.of("main", "work"), false);
    softly = new SoftAssertions();
    for (String agent : List.of("main", "work")) {
      softly.assertThat(later.theirs.get(agent).exitCode()).as("OpenClaw's status --check for %s: %s", agent,
          later.theirs.get(agent)).isZero();
    }
    softly.assertThat(labels(later.theirStatus("work"))).as("OpenClaw's profiles for work")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:ca-token", "anthropic:ca-main", "anthropic:ca-work");
    softly.assertThat(labels(later.theirStatus("main"))).as("OpenClaw's profiles for main")
        .containsExactlyInAnyOrder("anthropic:default", "anthropic:ca-token", "anthropic:ca-main");
    softly.assertThat(later.theirOrder("main")).as("OpenClaw's order for main")
        .isEqualTo("[\"anthropic:default\",\"anthropic:ca-token\"]");
    // work has no order of its own: OpenClaw shows the imported (shared) order with work's own
    // profile first, exactly as after a paste of its own.
    softly.assertThat(later.theirOrder("work")).as("OpenClaw's order for work")
        .isEqualTo("[\"anthropic:ca-work\",\"anthropic:ca-token\",\"anthropic:default\"]");
    later.assertAgree(softly);
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------

  static void ok(OpenClaw9.Result r) {
    assertThat(r.exitCode()).as("%s", r).isZero();
  }

  static void ok(ClawauthProcess.Result r) {
    assertThat(r.exitCode()).as("%s", r).isZero();
  }

  /** Both tools' answers about the same agents, asked at (nearly) the same time. */
  static final class Compared {
    final Map<String, OpenClaw9.Result> theirs = new TreeMap<>();
    final Map<String, ClawauthProcess.Result> ours = new TreeMap<>();
    final Map<String, OpenClaw9.Result> theirOrders = new TreeMap<>();
    final Map<String, ClawauthProcess.Result> ourOrders = new TreeMap<>();
    OpenClaw9.Result theirAgentList;
    ClawauthProcess.Result ourAgentList;

    JsonNode theirStatus(String agent) throws Exception {
      OpenClaw9.Result r = theirs.get(agent);
      return r.stdout().contains("\"auth\"") ? r.json() : Json.object();
    }

    /** OpenClaw's order override for the agent as JSON text, or what went wrong. */
    String theirOrder(String agent) throws Exception {
      OpenClaw9.Result r = theirOrders.get(agent);
      return r.exitCode() == 0 ? r.json().path("order").toString() : "<openclaw exited " + r.exitCode() + ">";
    }

    String ourOrder(String agent) throws Exception {
      ClawauthProcess.Result r = ourOrders.get(agent);
      return r.exitCode() == 0 ? json(r.stdout()).path("order").toString() : "<clawauth exited " + r.exitCode() + ">";
    }

    Map<String, String> theirAgents() throws Exception {
      return theirAgentList.exitCode() == 0 ? agents(theirAgentList.json(), "isDefault")
          : Map.of("<openclaw exited " + theirAgentList.exitCode() + ">", "");
    }

    Map<String, String> ourAgents() throws Exception {
      return ourAgentList.exitCode() == 0 ? agents(json(ourAgentList.stdout()), "default")
          : Map.of("<clawauth exited " + ourAgentList.exitCode() + ">", "");
    }

    /** Same profiles (ids, labels, counts), store, models, statuses, check verdict, order and agents. */
    void assertAgree(SoftAssertions softly) throws Exception {
      for (String agent : theirs.keySet()) {
        OpenClaw9.Result t = theirs.get(agent);
        ClawauthProcess.Result o = ours.get(agent);
        softly.assertThat(t.exitCode()).as("OpenClaw's status --check for %s is a verdict (0, 1, 2), not a failure: %s",
            agent, t).isBetween(0, 2);
        softly.assertThat(o.exitCode()).as("--check exit code for %s: Clawauth's vs OpenClaw's (Clawauth's stderr: %s;"
            + " OpenClaw's: %s)", agent, o.stderr(), t.stderr()).isEqualTo(t.exitCode());
        if (t.stdout().contains("\"auth\"") && o.stdout().contains("\"auth\"")) {
          softly.assertThat(view(json(o.stdout()))).as("models status --json for %s: Clawauth's vs OpenClaw's", agent)
              .isEqualTo(view(t.json()));
        }
        softly.assertThat(theirOrders.get(agent).exitCode()).as("%s", theirOrders.get(agent)).isZero();
        softly.assertThat(ourOrders.get(agent).exitCode()).as("%s", ourOrders.get(agent)).isZero();
        softly.assertThat(ourOrder(agent)).as("order get --json for %s: Clawauth's vs OpenClaw's", agent)
            .isEqualTo(theirOrder(agent));
      }
      if (theirAgentList != null) {
        softly.assertThat(theirAgentList.exitCode()).as("%s", theirAgentList).isZero();
        softly.assertThat(ourAgents()).as("agents list --json: Clawauth's vs OpenClaw's").isEqualTo(theirAgents());
      }
    }
  }

  /**
   * Asks both tools for each agent's status (with --check) and anthropic order, and (if
   * {@code withAgents}) for the agents.
   */
  static Compared compare(OpenClaw9 oc, ClawauthProcess clawauth, List<String> agents, boolean withAgents)
      throws Exception {
    List<List<String>> commands = new ArrayList<>();
    for (String a : agents) {
      commands.add(List.of("models", "status", "--json", "--check", "--agent", a));
      commands.add(List.of("models", "auth", "order", "get", "--json", "--agent", a, "--provider", "anthropic"));
    }
    if (withAgents) {
      commands.add(List.of("agents", "list", "--json"));
    }
    List<OpenClaw9.Result> results = oc.runAll(commands);
    Compared c = new Compared();
    for (int i = 0; i < agents.size(); i++) {
      String a = agents.get(i);
      c.theirs.put(a, results.get(2 * i));
      c.theirOrders.put(a, results.get(2 * i + 1));
      c.ours.put(a, clawauth.run("models", "status", "--json", "--check", "--agent", a));
      c.ourOrders.put(a, clawauth.run("models", "auth", "order", "get", "--json", "--agent", a, "--provider", "anthropic"));
    }
    if (withAgents) {
      c.theirAgentList = results.get(results.size() - 1);
      c.ourAgentList = clawauth.run("agents", "list", "--json");
    }
    return c;
  }

  /** Agent id to its agent dir and default marker. */
  static Map<String, String> agents(JsonNode list, String defaultField) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode a : list) {
      out.put(a.path("id").asText(), a.path("agentDir").asText() + " default=" + a.path(defaultField).asBoolean());
    }
    return out;
  }

  /**
   * What both programs must agree on, for one agent: the store it reads, per provider where its
   * credentials come from and the labels (ids with masked secrets, in OpenClaw's order), each
   * profile's status, the unusable ones, and the providers in use without credentials.
   */
  static Map<String, String> view(JsonNode status) {
    JsonNode auth = status.path("auth");
    Map<String, String> v = new TreeMap<>();
    v.put("agentDir", status.path("agentDir").asText());
    v.put("defaultModel", status.path("defaultModel").asText());
    v.put("storePath", auth.path("storePath").asText());
    v.put("missingProvidersInUse", auth.path("missingProvidersInUse").toString());
    for (JsonNode p : auth.path("providers")) {
      JsonNode profiles = p.path("profiles");
      v.put("provider " + p.path("provider").asText(), "effective=" + p.path("effective").path("kind").asText() + ":"
          + p.path("effective").path("detail").asText() + " oauth=" + profiles.path("oauth").asInt() + " token="
          + profiles.path("token").asInt() + " apiKey=" + profiles.path("apiKey").asInt() + " labels="
          + profiles.path("labels"));
    }
    for (JsonNode p : auth.path("oauth").path("profiles")) {
      v.put("status " + p.path("profileId").asText(), p.path("type").asText() + " " + p.path("status").asText());
    }
    for (JsonNode u : auth.path("unusableProfiles")) {
      v.put("unusable " + u.path("profileId").asText(), u.path("kind").asText() + " " + u.path("reason").asText(""));
    }
    return v;
  }

  /** The profile ids of a status's labels ({@code id=masked}), all providers. */
  static List<String> labels(JsonNode status) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : status.path("auth").path("providers")) {
      for (JsonNode l : p.path("profiles").path("labels")) {
        out.add(l.asText().substring(0, l.asText().indexOf('=')));
      }
    }
    return out;
  }

  /** OpenClaw 2026.9's {@code effectiveProfiles} for anthropic: the profiles its selection would use. */
  static List<String> effectiveProfiles(JsonNode status) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : status.path("auth").path("oauth").path("providers")) {
      if (p.path("provider").asText().equals("anthropic")) {
        p.path("effectiveProfiles").forEach(e -> out.add(e.path("profileId").asText()));
      }
    }
    return out;
  }

  static JsonNode json(String text) throws Exception {
    return Json.parseStrict(Path.of("clawauth output"), text);
  }

  /** Every auth-profiles.json under the state dir's agents. */
  static List<Path> jsonStores(Path state) throws Exception {
    if (!Files.isDirectory(state.resolve("agents"))) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(state.resolve("agents"))) {
      return files.filter(f -> f.getFileName().toString().equals("auth-profiles.json")).toList();
    }
  }

  /** Test secrets by name ({@code <NAME>}); anything else by its length only. */
  static List<String> named(List<String> credentials) {
    List<String> out = new ArrayList<>();
    for (String c : credentials) {
      out.add(TestSecrets.all().entrySet().stream().filter(e -> e.getValue().equals(c)).map(e -> "<" + e.getKey() + ">")
          .findFirst().orElse("<a credential of " + c.length() + " characters>"));
    }
    return out;
  }

  /** An Anthropic Messages API stand-in that answers every request and records the credential it came with. */
  static HttpServer fakeAnthropic(List<String> seen) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      String key = ex.getRequestHeaders().getFirst("x-api-key");
      String auth = ex.getRequestHeaders().getFirst("authorization");
      seen.add(key != null ? key : auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "");
      byte[] b = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":"
          + "\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,"
          + "\"output_tokens\":1}}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return server;
  }

  static HttpResponse<String> send(String url, String token) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create(url + "/v1/messages"))
          .header("x-api-key", token).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":5,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  static void stopGateway(Process gateway) throws InterruptedException {
    gateway.destroy();
    if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
      gateway.destroyForcibly();
      gateway.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
