package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.json.JsonFileException;
import dev.clawauth.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file that does not parse: the gateway does not start on one; one corrupted while it runs
 * is never written (no cooldown or usage stat replaces what the user must repair), requests are
 * served from the last good reading, /healthz and /status say so with file:line:col, and a fixed
 * file is used again.
 */
class CorruptStoreGatewayTest {
  static final String KEY_A = "sk-ant-api03-" + "a".repeat(40) + "AAAA";
  static final String KEY_B = "sk-ant-api03-" + "b".repeat(40) + "BBBB";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String OK = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  /** Broken on line 3, column 15, with a key beside the break that no message may quote. */
  static final String BROKEN = "{\n  \"version\": 1,\n  \"profiles\": " + KEY_A + "\n}\n";

  @TempDir
  Path tmp;
  GatewayFixture f;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  static String twoProfiles() {
    return "{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A)
        + ",\"anthropic:b\":" + apiKeyProfile("anthropic", KEY_B) + "},"
        + "\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]}}";
  }

  private HttpResponse<String> post(String agent) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages")).timeout(Duration.ofSeconds(10))
        .header("x-api-key", f.token()).header("content-type", "application/json");
    if (agent != null) {
      b.header("x-clawauth-agent", agent);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(OK)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(f.url() + path)).header("x-api-key", f.token())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCorruptStoreStopsTheStartWithItsFileLineAndColumnAndIsLeftAlone() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(BROKEN);
    assertThatThrownBy(f::start).isInstanceOf(JsonFileException.class)
        .hasMessageStartingWith(f.store + ":3:")
        .hasMessageNotContaining(KEY_A.substring(13));
    assertThat(Files.readString(f.store)).isEqualTo(BROKEN);
  }

  @Test
  void aStoreCorruptedWhileRunningIsServedFromItsLastReadingNeverWrittenAndUsedAgainOnceFixed() throws Exception {
    f = new GatewayFixture(tmp);
    // Profile a is rate limited: every request records a cooldown, which must not reach the broken file.
    f.provider.when(KEY_A, FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"slow down\"}}"));
    f.store(twoProfiles()).start();
    f.store(BROKEN);

    for (int i = 0; i < 3; i++) {
      assertThat(post(null).statusCode()).isEqualTo(200);
    }
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).contains(KEY_A, KEY_B);
    f.gateway.flush();
    assertThat(Files.readString(f.store)).isEqualTo(BROKEN);

    HttpResponse<String> health = get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"degraded\"").contains("\"readOnly\":true")
        .contains(f.store + ":3:").doesNotContain(KEY_A.substring(13));
    HttpResponse<String> status = get("/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"readOnly\": true").contains(f.store + ":3:")
        .contains("anthropic:b").doesNotContain(KEY_A.substring(13));
    Await.until(() -> "the log tells it: " + f.log(), WAIT, () -> f.log().contains("does not parse"));
    assertThat(f.log()).containsOnlyOnce("does not parse").contains(f.store + ":3:")
        .doesNotContain(KEY_A.substring(13)).doesNotContain("could not write");

    // Fixed: read again, and the cooldowns recorded meanwhile are written then.
    f.store(twoProfiles());
    Await.until(() -> "healthy again: " + f.log(), WAIT, () -> {
      try {
        return get("/healthz").body().contains("\"status\":\"ok\"");
      } catch (Exception e) {
        return false;
      }
    });
    f.gateway.flush();
    String fixed = Files.readString(f.store);
    assertThat(fixed).contains("\"anthropic:a\"").contains("cooldownUntil");
    assertThat(f.log()).contains("can be read again");
    assertThat(post(null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAnEarlierReadingARequestGets503NamingTheFileLineAndColumn() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(twoProfiles()).start();
    Path other = f.state.resolve("agents/work/agent/auth-profiles.json");
    Files.createDirectories(other.getParent());
    Files.writeString(other, BROKEN);
    HttpResponse<String> r = post("work");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains(other + ":3:").contains("does not parse").doesNotContain(KEY_A.substring(13))
        .doesNotContain("Internal gateway error");
    assertThat(Files.readString(other)).isEqualTo(BROKEN);
  }
}
