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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "maxBodyBytes: -5|gateway.maxBodyBytes is -5, not a whole number of bytes above 0",
      "port: 'abc'|gateway.port is a string, not a whole number from 0 to 65535",
      "port: 70000|gateway.port is 70000, not a whole number from 0 to 65535",
      "readTimeoutMs: -1|gateway.readTimeoutMs is -1, not a whole number of milliseconds above 0",
      "upstreamTimeoutMs: 1.5|gateway.upstreamTimeoutMs is 1.5, not a whole number of milliseconds above 0",
      "maxConnections: true|gateway.maxConnections is true, not a whole number above 0",
      "maxConcurrentRequests: [4]|gateway.maxConcurrentRequests is a list, not a whole number above 0",
      "bind: 5|gateway.bind is 5, not a string",
      "maxBufferedBodyBytes: 1000|gateway.maxBufferedBodyBytes is 1000, not a whole number of bytes, at least"
          + " gateway.maxBodyBytes (33554432)",
      "shutdownGrace: 'soon'|gateway.shutdownGrace is a string that is not a duration, not " + GRACE,
      "shutdownGrace: -1|gateway.shutdownGrace is -1, not " + GRACE,
      "shutdownGrace: '2h'|gateway.shutdownGrace is a string that is not a duration, not " + GRACE,
      "shutdownGrace: '61m'|gateway.shutdownGrace is longer than 1h, not " + GRACE})
  void aValueOfTheWrongTypeOrRangeIsOneLineNamingKeyFileLineAndColumn(String entry, String problem) throws Exception {
    Files.writeString(tmp.resolve("clawauth.json"), "// Clawauth's settings\n{\n  gateway: {\n    " + entry + "\n  }\n}\n");
    StatePaths p = paths();
    int column = 5 + entry.indexOf(':') + 2;
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tmp.resolve("clawauth.json") + ":4:" + column + ": " + problem
            + ". Fix it, or remove the key for its default; the gateway does not start until then.");
  }

  @Test
  void openClawsFileIsNamedWhenTheBadValueIsItsAndAStringValueIsNeverQuoted() throws Exception {
    Files.writeString(tmp.resolve("openclaw.json"), "{\"gateway\": {\"port\": \"sk-looks-like-a-secret\"}}");
    StatePaths p = paths();
    assertThatThrownBy(() -> GatewaySettings.load(p, ClawConfig.load(p.configPath())))
        .hasMessageStartingWith(tmp.resolve("openclaw.json") + ":1:22: gateway.port is a string")
        .hasMessageNotContaining("sk-looks");
  }

  static final String GRACE = "a duration from 0 to 1h such as \"10s\" or \"500ms\", or a whole number of milliseconds";

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'10s'|10000", "'1500ms'|1500", "' 2 m '|120000", "'0s'|0", "2500|2500", "0|0"})
  void theShutdownGraceTakesADurationWithItsUnitOrMilliseconds(String value, long millis) throws Exception {
    assertThat(GatewaySettings.defaults().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { shutdownGrace: " + value + " } }");
    StatePaths p = paths();
    assertThat(GatewaySettings.load(p, ClawConfig.load(p.configPath())).shutdownGrace()).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void theBodyBudgetIsEightLargestBodiesUnlessSet() throws Exception {
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { maxBodyBytes: 1000 } }");
    StatePaths p = paths();
    assertThat(GatewaySettings.load(p, ClawConfig.load(p.configPath())).bodyBudget()).isEqualTo(8000);
    Files.writeString(tmp.resolve("clawauth.json"), "{ gateway: { maxBodyBytes: 1000, maxBufferedBodyBytes: 1500 } }");
    assertThat(GatewaySettings.load(p, ClawConfig.load(p.configPath())).bodyBudget()).isEqualTo(1500);
    assertThat(GatewaySettings.defaults().bodyBudget()).isEqualTo(256L * 1024 * 1024);
  }
}
