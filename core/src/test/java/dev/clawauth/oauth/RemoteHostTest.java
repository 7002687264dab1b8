package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.state.Environment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RemoteHostTest {
  private static Environment env(Map<String, String> vars) {
    return new Environment(vars, Path.of("/home/u"), Path.of("/home/u"));
  }

  @Test
  void sshAndRemoteContainers_areRemote_evenWithADisplay() {
    for (String v : new String[] {"SSH_CLIENT", "SSH_TTY", "SSH_CONNECTION"}) {
      assertThat(RemoteHost.reason(env(Map.of(v, "x", "DISPLAY", ":0")), "Linux")).contains("SSH").contains(v);
    }
    assertThat(RemoteHost.reason(env(Map.of("CODESPACES", "true")), "Mac OS X")).contains("remote container");
    assertThat(RemoteHost.reason(env(Map.of("REMOTE_CONTAINERS", "true")), "Mac OS X")).contains("remote container");
  }

  @Test
  void linuxWithoutDisplay_isHeadless_butNotUnderWsl_orOnMac() {
    assertThat(RemoteHost.reason(env(Map.of()), "Linux")).contains("without a display");
    assertThat(RemoteHost.reason(env(Map.of("DISPLAY", ":0")), "Linux")).isNull();
    assertThat(RemoteHost.reason(env(Map.of("WAYLAND_DISPLAY", "wayland-0")), "Linux")).isNull();
    assertThat(RemoteHost.reason(env(Map.of("WSL_DISTRO_NAME", "Ubuntu")), "Linux")).isNull();
    assertThat(RemoteHost.reason(env(Map.of()), "Mac OS X")).isNull();
  }

  @Test
  void onlyLoopbackHttpRedirects_canBeCaughtByTheListener() {
    assertThat(AuthorizationCodeFlow.isLoopbackHttp("http://localhost:1455/auth/callback")).isTrue();
    assertThat(AuthorizationCodeFlow.isLoopbackHttp("http://127.0.0.1:8080/cb")).isTrue();
    assertThat(AuthorizationCodeFlow.isLoopbackHttp("https://console.anthropic.com/oauth/code/callback")).isFalse();
    assertThat(AuthorizationCodeFlow.isLoopbackHttp("http://example.com:1455/cb")).isFalse();
    assertThat(AuthorizationCodeFlow.isLoopbackHttp("not a uri")).isFalse();
  }
}
