package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenClaw's bind modes, as its own config holds them, and plain addresses. */
class BindAddressTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void openClawModesResolveAsOpenClawResolvesThem() throws Exception {
    List<InetAddress> here = List.of(ip("127.0.0.1"), ip("192.168.1.20"), ip("100.101.102.103"));
    assertThat(BindAddress.resolve("loopback", null, here).address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve("auto", null, here).address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve(null, null, here).address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve("lan", null, here).address().getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(BindAddress.resolve("tailnet", null, here).address().getHostAddress()).isEqualTo("100.101.102.103");
    assertThat(BindAddress.resolve("custom", "127.0.0.2", here).address().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(BindAddress.resolve("127.0.0.3", null, here).address().getHostAddress()).isEqualTo("127.0.0.3");
    assertThat(BindAddress.resolve("Loopback", null, here).note()).isNull();
  }

  @Test
  void tailnetWithoutATailscaleAddressFallsBackToLoopbackAndSaysSo() throws Exception {
    // 100.128.0.1 is outside 100.64.0.0/10.
    BindAddress b = BindAddress.resolve("tailnet", null, List.of(ip("127.0.0.1"), ip("100.128.0.1"), ip("10.0.0.5")));
    assertThat(b.address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(b.note()).contains("no Tailscale address").contains("127.0.0.1");
  }

  @Test
  void customWithoutAHostIsAnErrorThatNamesTheKey() {
    assertThatThrownBy(() -> BindAddress.resolve("custom", " ", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.customBindHost");
  }

  @Test
  void aNonLoopbackResultStillNeedsTheExplicitFlag() throws Exception {
    GatewaySettings lan = GatewaySettings.defaults().withBind("lan", false);
    assertThatThrownBy(lan::bindAddress).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0 (bind \"lan\")").hasMessageContaining("--allow-non-loopback");
    assertThat(GatewaySettings.defaults().withBind("lan", true).bindAddress().getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(GatewaySettings.defaults().bindAddress().isLoopbackAddress()).isTrue();
  }
}
