package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code agents.defaults.models} means for gateway clients: OpenClaw's list for {@code /model}
 * and the aliases, not a fence. Any model of a provider the agent reaches is served; a model no
 * configured provider can serve is a 404 that says what is served.
 */
class ModelAccessGatewayTest {
  static final String KEY = "sk-ant-api03-model-access-test-key-000000000";

  @TempDir
  Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aModelOutsideTheAllowListIsServedByAProviderWithACredential() throws Exception {
    f = new GatewayFixture(tmp);
    f.config(ClaudeCodeGatewayTest.MODELS).store(storeJson("anthropic:key", apiKeyProfile("anthropic", KEY))).start();

    HttpResponse<String> r = messages("claude-sonnet-9-9");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-sonnet-9-9\"");
    assertThat(f.provider.last().credential()).isEqualTo(KEY);
    messages("Fast");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-haiku-4-5\"");
  }

  @Test
  void aProviderWithoutAnEndpointIs404NamingWhatIsServed() throws Exception {
    f = new GatewayFixture(tmp);
    f.config(ClaudeCodeGatewayTest.MODELS).store(storeJson("anthropic:key", apiKeyProfile("anthropic", KEY))).start();

    HttpResponse<String> r = messages("mistral/mistral-large");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("\"type\":\"not_found_error\"")
        .contains("Unknown model: mistral/mistral-large (no endpoint for provider mistral;"
            + " set models.providers.mistral.baseUrl)")
        .contains("Served: any model of anthropic, openai, openai-codex, openrouter")
        .contains("configured models: anthropic/claude-opus-4-5, anthropic/claude-haiku-4-5, openai/gpt-5");
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void aProviderTheAgentCannotReachIs404UnlessTheModelIsListed() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:key", apiKeyProfile("anthropic", KEY)));
    // Only Anthropic configured: OpenAI has its real endpoint but no credential and no entry.
    Files.writeString(f.state.resolve("openclaw.json"), "{ models: { providers: { anthropic: { baseUrl: '"
        + f.provider.baseUrl() + "' } } },\n" + ClaudeCodeGatewayTest.MODELS + " }\n");
    f.start();

    HttpResponse<String> unlisted = chat("openai/gpt-5-mini");
    assertThat(unlisted.statusCode()).as(unlisted.body()).isEqualTo(404);
    assertThat(unlisted.body()).contains("\"code\":\"model_not_found\"")
        .contains("Unknown model: openai/gpt-5-mini (not in agents.defaults.models, and the agent has no credential"
            + " or models.providers entry for openai)")
        .contains("Served: any model of anthropic;");

    // A listed model goes on to the credentials, which say what is missing.
    HttpResponse<String> listed = chat("GPT");
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(503);
    assertThat(f.provider.seen).isEmpty();
  }

  private HttpResponse<String> messages(String model) throws Exception {
    return post("/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":8,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "anthropic-version", "2023-06-01");
  }

  private HttpResponse<String> chat(String model) throws Exception {
    return post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}", "x-clawauth-test", "1");
  }

  private HttpResponse<String> post(String path, String body, String header, String value) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("authorization", "Bearer " + f.token()).header("content-type", "application/json")
        .header(header, value).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
