package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from openclaw.json's gateway block, overridden key by key by clawauth.json's. */
class GatewaySettingsTest {
  @TempDir
  Path tmp;

  private StatePaths paths() {
    return StatePaths.resolve(new Environment(Map.of("OPENCLAW_STATE_DIR", tmp.toString()), tmp, tmp));
  }

  @Test
  void clawauthJsonWinsKeyByKeyAndOpenClawsKeysStillCount() throws Exception {
    Files.writeString(tmp.resolve("openclaw.json"), "{ gateway: { port: 18789, bind: 'loopback', "
        + "auth: { mode: 'token', token: 'x' }, readTimeoutMs: 5000 } }");
    Files.writeString(tmp.resolve("clawauth.json"), "// the gateway of Clawauth, beside OpenClaw's\n"
        + "{ gateway: { port: 18790, maxBodyBytes: 1048576 } }");
    StatePaths p = paths();
    GatewaySettings s = GatewaySettings.load(p, ClawConfig.load(p.configPath()));
    assertThat(s.port()).isEqualTo(18790);
    assertThat(s.maxBodyBytes()).isEqualTo(1_048_576);
    assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(5000));
    assertThat(s.bind()).isEqualTo("loopback");
    assertThat(s.maxConnections()).isEqualTo(GatewaySettings.DEFAULT_MAX_CONNECTIONS);
  }

  @Test
  void withoutClawauthJsonTheDefaultsAndOpenClawsBlockApply() throws Exception {
    StatePaths p = paths();
    GatewaySettings s = GatewaySettings.load(p, ClawConfig.load(p.configPath()));
    assertThat(s).isEqualTo(GatewaySettings.defaults());
  }

  @Test
  void aBrokenClawauthJsonIsAnErrorNamingItsLineAndColumn() throws Exception {
    Files.writeString(tmp.resolve("clawauth.json"), "{\n  gateway: { port: 18790,, }\n}\n");
    StatePaths p = paths();
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .isInstanceOf(JsonFileException.class).hasMessageContaining("clawauth.json").hasMessageContaining("2");
  }

  @Test
  void limitsOfConnectionsWithoutTheTokenAreReadAndChecked() throws Exception {
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { headTimeoutMs: 2500, maxConnections: 100,"
        + " maxUnauthenticatedConnections: 40, maxUnauthenticatedPerAddress: 10 } }");
    StatePaths p = paths();
    GatewaySettings s = GatewaySettings.load(p, ClawConfig.load(p.configPath()));
    assertThat(s.headTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.admission()).isEqualTo(new dev.clawauth.gateway.http.Admission.Limits(100, 40, 10));
    assertThat(GatewaySettings.defaults().admission())
        .isEqualTo(new dev.clawauth.gateway.http.Admission.Limits(1024, 512, 256));
    assertThat(GatewaySettings.defaults().headTimeout()).isEqualTo(Duration.ofSeconds(10));

    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { headTimeoutMs: 0 } }");
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.headTimeoutMs");
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { maxConnections: 10, maxUnauthenticatedConnections: 11 } }");
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.maxUnauthenticatedConnections");
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { maxUnauthenticatedPerAddress: 600 } }");
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.maxUnauthenticatedPerAddress");
  }
}
