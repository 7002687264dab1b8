package dev.clawauth.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.state.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AgentsTest {
  @TempDir
  Path home;

  @Test
  void addThenListWithoutCopyingCredentials() throws Exception {
    Path state = home.resolve("state");
    Environment env = new Environment(Map.of("OPENCLAW_STATE_DIR", state.toString()), home, home);
    Path mainStore = state.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(mainStore.getParent());
    Files.writeString(mainStore, "{\"version\":1,\"profiles\":{\"anthropic:default\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"k\"}}}");

    var added = Agents.add(env, "Work", home.resolve("ws"));
    assertThat(added.id()).isEqualTo("work");
    assertThat(added.agentDir()).isEqualTo(state.resolve("agents/work/agent"));
    assertThat(Files.list(added.agentDir())).isEmpty();

    var list = Agents.list(env, Clock.systemUTC());
    assertThat(list).extracting(AgentEntry::id).containsExactly("main", "work");
    assertThat(list.get(0).isDefault()).isTrue();
    assertThat(list.get(0).profileCount()).isEqualTo(1);
    assertThat(list.get(1).profileCount()).isZero();

    assertThatThrownBy(() -> Agents.add(env, "work", home.resolve("ws2"))).hasMessageContaining("already exists");
    assertThatThrownBy(() -> Agents.add(env, "../evil", home.resolve("ws3"))).hasMessageContaining("Invalid agent id");
    assertThat(Files.exists(home.resolve("ws2"))).isFalse();
  }
}
