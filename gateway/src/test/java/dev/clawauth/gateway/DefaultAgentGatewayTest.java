package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code clawauth gateway --agent work}: requests that name no agent use work's credentials; others still pick theirs. */
class DefaultAgentGatewayTest {
  static final String MAIN_KEY = "sk-ant-api03-" + "m".repeat(40) + "MAIN";
  static final String WORK_KEY = "sk-ant-api03-" + "w".repeat(40) + "WORK";
  static final String BODY = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

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

  private HttpResponse<String> post(String agentHeader) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages")).timeout(Duration.ofSeconds(10))
        .header("x-api-key", f.token()).header("content-type", "application/json");
    if (agentHeader != null) {
      b.header("x-clawauth-agent", agentHeader);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsThatNameNoAgentGoToTheGatewaysAgent() throws Exception {
    f = new GatewayFixture(tmp);
    f.store("{\"version\":1,\"profiles\":{\"anthropic:main\":" + apiKeyProfile("anthropic", MAIN_KEY) + "}}");
    Path work = f.state.resolve("agents/work/agent/auth-profiles.json");
    Files.createDirectories(work.getParent());
    Files.writeString(work, "{\"version\":1,\"profiles\":{\"anthropic:work\":" + apiKeyProfile("anthropic", WORK_KEY) + "}}");
    f.provider.when(MAIN_KEY, FakeProvider.ok()).when(WORK_KEY, FakeProvider.ok());
    f.agent = "work";
    f.start();

    assertThat(post(null).statusCode()).isEqualTo(200);
    assertThat(f.provider.last().credential()).isEqualTo(WORK_KEY);
    assertThat(post("main").statusCode()).isEqualTo(200);
    assertThat(f.provider.last().credential()).isEqualTo(MAIN_KEY);
  }
}
