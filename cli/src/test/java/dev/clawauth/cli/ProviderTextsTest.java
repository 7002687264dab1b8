package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text that came from a provider or a token endpoint reaches {@code doctor} and {@code models
 * status} only through the secret filter: an OAuth server that echoed the refresh token into the
 * re-login reason (as an older release stored it), a disabled reason holding a key, and a
 * provider that echoes the key it was sent in its error body are shown without the secret.
 */
final class ProviderTextsTest {
  // Neither shaped like a key (no capitals, no known prefix): only the known-secret filter masks them.
  static final String REFRESH = "rt-echoed-refresh-token-value-0042";
  static final String ACCESS = "at-echoed-access-token-value-0042";
  static final String KEY = "sk-ant-api03-ECHOEDKEY00000000000000000000000000000000000000EE";
  static final List<String> SECRETS = List.of(REFRESH, ACCESS, KEY);

  @TempDir
  Path tmp;
  Scenario s;
  HttpServer provider;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    provider.createContext("/", ex -> {
      String sent = String.valueOf(ex.getRequestHeaders().getFirst("x-api-key"));
      byte[] b = ("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key "
          + sent + "\"}}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(401, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    provider.start();
    s.writeConfig("openclaw.json", "{ models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:"
        + provider.getAddress().getPort() + "' } } } }");
    long now = System.currentTimeMillis();
    s.writeStore("""
        {
          "version": 1,
          "profiles": {
            "anthropic:oauth": { "type": "oauth", "provider": "anthropic", "access": "%s", "refresh": "%s",
              "expires": %d, "clawauthRelogin": { "reason": "invalid_grant: refresh token %s was revoked" } },
            "anthropic:key": { "type": "api_key", "provider": "anthropic", "key": "%s" }
          },
          "usageStats": {
            "anthropic:key": { "disabledUntil": %d, "disabledReason": "billing for %s" }
          }
        }
        """.formatted(ACCESS, REFRESH, now - 60_000, REFRESH, KEY, now + 3_600_000, KEY));
  }

  @AfterEach
  void stop() {
    provider.stop(0);
  }

  private ClawauthProcess.Result run(String... args) throws Exception {
    ClawauthProcess.Result r = s.run(args);
    for (String secret : SECRETS) {
      assertThat(r.stdout()).as("stdout of %s leaks a secret", List.of(args)).doesNotContain(secret);
      assertThat(r.stderr()).as("stderr of %s leaks a secret", List.of(args)).doesNotContain(secret);
    }
    return r;
  }

  @Test
  void echoedSecretsAreMaskedInDoctorAndModelsStatus() throws Exception {
    var status = run("models", "status");
    assertThat(status.stdout()).contains("anthropic:oauth").contains("invalid_grant: refresh token");
    var json = run("models", "status", "--json");
    assertThat(json.stdout()).contains("reloginReason").contains("billing for");
    run("models", "status", "--probe", "--probe-timeout", "3000");
    var probes = run("models", "status", "--json", "--probe", "--probe-timeout", "3000");
    assertThat(probes.stdout()).contains("\"probes\"");
    var doctor = run("doctor");
    assertThat(doctor.stdout()).contains("anthropic:oauth").contains("invalid_grant");
    run("doctor", "--json");
    run("models", "auth", "list");
  }
}
