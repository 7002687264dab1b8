package dev.clawauth.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.AgentContext;
import dev.clawauth.testing.StateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-dir, config-path and agent-dir rules of spec store.md, "Where things are". */
final class StatePathsTest {
  @TempDir
  Path root;

  private Environment env(Map<String, String> vars) throws Exception {
    Path home = Files.createDirectories(root.resolve("home"));
    Path cwd = Files.createDirectories(root.resolve("cwd"));
    return new Environment(vars, home, cwd);
  }

  private Path home() {
    return root.resolve("home");
  }

  @Test
  void openclawStateDirWinsOverClawdbotStateDir() throws Exception {
    var paths = StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", root + "/a", "CLAWDBOT_STATE_DIR", root + "/b")));
    assertThat(paths.stateDir()).isEqualTo(root.resolve("a"));
  }

  @Test
  void clawdbotStateDirIsUsedWhenOpenclawStateDirIsUnsetOrBlank() throws Exception {
    assertThat(StatePaths.resolve(env(Map.of("CLAWDBOT_STATE_DIR", root + "/b"))).stateDir())
        .isEqualTo(root.resolve("b"));
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", "  ", "CLAWDBOT_STATE_DIR", root + "/b")))
        .stateDir()).isEqualTo(root.resolve("b"));
  }

  @Test
  void stateDirDefaultsToDotOpenclawEvenWhenItDoesNotExistYet() throws Exception {
    var paths = StatePaths.resolve(env(Map.of()));
    assertThat(paths.stateDir()).isEqualTo(home().resolve(".openclaw"));
    assertThat(home().resolve(".openclaw")).doesNotExist();
  }

  @Test
  void aNewConfigInOpenClaw2026_1sStateDirIsClawdbotJson() throws Exception {
    // 2026.1 reads only clawdbot.json; a second file named openclaw.json would drift from it.
    Files.createDirectories(home().resolve(".clawdbot"));
    assertThat(StatePaths.resolve(env(Map.of())).configPath()).isEqualTo(home().resolve(".clawdbot/clawdbot.json"));
    assertThat(StatePaths.resolve(env(Map.of("CLAWDBOT_STATE_DIR", root + "/b"))).configPath())
        .isEqualTo(root.resolve("b/clawdbot.json"));
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", root + "/c"))).configPath())
        .isEqualTo(root.resolve("c/openclaw.json"));
    // OpenClaw 2026.9's doctor leaves ~/.clawdbot as a link to ~/.openclaw: that is 2026.9's directory.
    Path home = home();
    Files.delete(home.resolve(".clawdbot"));
    Files.createDirectories(root.resolve("elsewhere"));
    Files.createSymbolicLink(home.resolve(".clawdbot"), root.resolve("elsewhere"));
    assertThat(StatePaths.resolve(env(Map.of())).configPath()).isEqualTo(home.resolve(".clawdbot/openclaw.json"));
  }

  @Test
  void existingLegacyClawdbotDirIsUsedOnlyWhenDotOpenclawDoesNotExist() throws Exception {
    Environment env = env(Map.of());
    Files.createDirectories(home().resolve(".clawdbot"));
    assertThat(StatePaths.resolve(env).stateDir()).isEqualTo(home().resolve(".clawdbot"));

    Files.createDirectories(home().resolve(".openclaw"));
    assertThat(StatePaths.resolve(env).stateDir()).isEqualTo(home().resolve(".openclaw"));
  }

  @Test
  void leadingTildeIsExpandedToHomeAndOnlyWhenLeading() throws Exception {
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", "~/st"))).stateDir())
        .isEqualTo(home().resolve("st"));
    assertThat(StatePaths.resolve(env(Map.of("CLAWDBOT_STATE_DIR", "~"))).stateDir()).isEqualTo(home());
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", root + "/x/~/y"))).stateDir())
        .isEqualTo(root.resolve("x/~/y"));
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", "~/st", "OPENCLAW_CONFIG_PATH", "~/conf/c.json")))
        .configPath()).isEqualTo(home().resolve("conf/c.json"));
  }

  @Test
  void relativeStateDirIsResolvedAgainstTheWorkingDirectory() throws Exception {
    assertThat(StatePaths.resolve(env(Map.of("OPENCLAW_STATE_DIR", "rel/st"))).stateDir())
        .isEqualTo(root.resolve("cwd/rel/st"));
  }

  @Test
  void configPathPrefersOpenclawConfigPathThenClawdbotConfigPath() throws Exception {
    Map<String, String> vars = new HashMap<>(Map.of("OPENCLAW_STATE_DIR", root + "/st",
        "OPENCLAW_CONFIG_PATH", root + "/one.json", "CLAWDBOT_CONFIG_PATH", root + "/two.json"));
    assertThat(StatePaths.resolve(env(vars)).configPath()).isEqualTo(root.resolve("one.json"));
    vars.remove("OPENCLAW_CONFIG_PATH");
    assertThat(StatePaths.resolve(env(vars)).configPath()).isEqualTo(root.resolve("two.json"));
  }

  @Test
  void configPathIsOpenclawJsonUnlessOnlyTheLegacyClawdbotJsonExists() throws Exception {
    Path st = Files.createDirectories(root.resolve("st"));
    Environment env = env(Map.of("OPENCLAW_STATE_DIR", st.toString()));
    assertThat(StatePaths.resolve(env).configPath()).isEqualTo(st.resolve("openclaw.json"));
    Files.writeString(st.resolve("clawdbot.json"), "{}");
    assertThat(StatePaths.resolve(env).configPath()).isEqualTo(st.resolve("clawdbot.json"));
    Files.writeString(st.resolve("openclaw.json"), "{}");
    assertThat(StatePaths.resolve(env).configPath()).isEqualTo(st.resolve("openclaw.json"));
  }

  @Test
  void agentDirEnvOverridesApplyInOrderToTheDefaultAgentOnly() throws Exception {
    Map<String, String> vars = new HashMap<>(Map.of("OPENCLAW_STATE_DIR", root + "/st",
        "OPENCLAW_AGENT_DIR", root + "/a1", "CLAWDBOT_AGENT_DIR", root + "/a2", "PI_CODING_AGENT_DIR", root + "/a3"));
    assertThat(StatePaths.resolve(env(vars)).agentDir("main", "main")).isEqualTo(root.resolve("a1"));
    assertThat(StatePaths.resolve(env(vars)).agentDir("work", "main"))
        .isEqualTo(root.resolve("st/agents/work/agent"));
    vars.remove("OPENCLAW_AGENT_DIR");
    assertThat(StatePaths.resolve(env(vars)).agentDir("main", "main")).isEqualTo(root.resolve("a2"));
    vars.remove("CLAWDBOT_AGENT_DIR");
    assertThat(StatePaths.resolve(env(vars)).agentDir("main", "main")).isEqualTo(root.resolve("a3"));
    vars.remove("PI_CODING_AGENT_DIR");
    assertThat(StatePaths.resolve(env(vars)).agentDir("main", "main"))
        .isEqualTo(root.resolve("st/agents/main/agent"));
  }

  @Test
  void defaultAgentComesFromConfigAndTakesTheAgentDirOverride() throws Exception {
    var f = new StateFixture(root);
    f.writeConfig("{agents: {list: [{id: 'main'}, {id: 'Work', default: true}]}}");
    f.set("OPENCLAW_AGENT_DIR", root + "/override");
    AgentContext work = f.open(0);
    assertThat(work.agentId()).isEqualTo("work");
    assertThat(work.agentDir()).isEqualTo(root.resolve("override"));
    assertThat(work.store().path()).isEqualTo(root.resolve("override/auth-profiles.json"));

    AgentContext main = f.open("main", 0);
    assertThat(main.agentDir()).isEqualTo(f.agentDir("main"));
  }

  @Test
  void withoutConfiguredDefaultTheDefaultAgentIsMain() throws Exception {
    var f = new StateFixture(root);
    f.writeConfig("{agents: {list: [{id: 'work'}]}}");
    AgentContext ctx = f.open(0);
    assertThat(ctx.agentId()).isEqualTo("main");
    assertThat(ctx.agentDir()).isEqualTo(f.agentDir("main"));
    assertThat(ctx.store().path()).isEqualTo(f.store("main"));
  }

  @Test
  void badAgentIdsAreRefusedWithTheRuleAndNothingIsCreated() throws Exception {
    var f = new StateFixture(root);
    for (String bad : new String[] {"../evil", "a/b", "", "  ", "-lead", "_lead", "a b", "x".repeat(65)}) {
      assertThatThrownBy(() -> f.open(bad, 0)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(AgentIds.RULE);
    }
    assertThat(f.state).doesNotExist();
  }

  @Test
  void agentIdsAreTrimmedAndStoredLowerCase() {
    assertThat(AgentIds.validate("Work")).isEqualTo("work");
    assertThat(AgentIds.validate(" ops_2-b ")).isEqualTo("ops_2-b");
    assertThat(AgentIds.validate("a".repeat(64))).hasSize(64);
  }

  @Test
  void uppercaseAgentIdOpensTheLowerCaseAgentDir() throws Exception {
    var f = new StateFixture(root);
    AgentContext ctx = f.open("WORK", 0);
    assertThat(ctx.agentId()).isEqualTo("work");
    assertThat(ctx.agentDir()).isEqualTo(f.agentDir("work"));
  }
}
