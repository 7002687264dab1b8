package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.models.models.ModelInfo;
import com.openai.models.models.Model;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/models} and {@code GET /v1/models/<id>} on both wires, through the official SDKs. */
class ModelsGatewayTest {
  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private void start() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("agents: { defaults: { models: { 'anthropic/claude-opus-4-5': { alias: 'Opus' }, 'openai/gpt-4o': {} } } },")
        .store(storeJson("anthropic:key", apiKeyProfile("anthropic", InjectionGatewayTest.API_KEY))).start();
  }

  @Test
  void anthropicRetrieveAnswersTheListedObjectAndUnknownIs404InAnthropicShape() throws Exception {
    start();
    ModelInfo listed = f.anthropic().models().list().data().stream()
        .filter(m -> m.id().equals("anthropic/claude-opus-4-5")).findFirst().orElseThrow();
    // The SDK sends "anthropic/claude-opus-4-5" as one path segment, its slash as %2F.
    ModelInfo one = f.anthropic().models().retrieve("anthropic/claude-opus-4-5");
    assertThat(one).isEqualTo(listed);
    assertThat(one.displayName()).isEqualTo("anthropic/claude-opus-4-5");
    assertThatThrownBy(() -> f.anthropic().models().retrieve("anthropic/no-such-model"))
        .isInstanceOf(com.anthropic.errors.NotFoundException.class).hasMessageContaining("Unknown model");
    HttpResponse<String> raw = get("/v1/models/anthropic/no-such-model", true);
    assertThat(raw.statusCode()).isEqualTo(404);
    assertThat(raw.body()).contains("\"type\":\"error\"").contains("\"type\":\"not_found_error\"");
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void openAiRetrieveAnswersTheListedObjectAndUnknownIs404InOpenAiShape() throws Exception {
    start();
    Model listed = f.openai().models().list().data().stream()
        .filter(m -> m.id().equals("openai/gpt-4o")).findFirst().orElseThrow();
    Model one = f.openai().models().retrieve("openai/gpt-4o");
    assertThat(one).isEqualTo(listed);
    assertThat(one.ownedBy()).isEqualTo("openai");
    assertThatThrownBy(() -> f.openai().models().retrieve("openai/no-such-model"))
        .isInstanceOf(com.openai.errors.NotFoundException.class).hasMessageContaining("Unknown model");
    // An unencoded slash works too, and the error is in OpenAI's shape without anthropic-version.
    HttpResponse<String> ok = get("/v1/models/openai/gpt-4o", false);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"object\":\"model\"").contains("\"id\":\"openai/gpt-4o\"");
    HttpResponse<String> missing = get("/v1/models/nope", false);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"error\":{\"message\":\"Unknown model: nope").contains("\"param\":null");
    assertThat(f.provider.seen).isEmpty();
  }

  private HttpResponse<String> get(String path, boolean anthropic) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url() + path)).header("x-api-key", f.token());
    if (anthropic) {
      b.header("anthropic-version", "2023-06-01");
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
