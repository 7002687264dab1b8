package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /model commands answered by the gateway, pins and sticky profiles per session. */
class SessionsGatewayTest {
  static final String KEY_A = "sk-ant-api03-" + "a".repeat(40) + "AAAA";
  static final String KEY_B = "sk-ant-api03-" + "b".repeat(40) + "BBBB";

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private GatewayFixture start(boolean explicitOrder) throws Exception {
    f = new GatewayFixture(tmp);
    f.config("agents: { defaults: { models: { 'anthropic/claude-opus-4-5': { alias: 'Opus' }, "
        + "'anthropic/claude-sonnet-4-5': { alias: 'Sonnet' }, 'openai/gpt-4o': {} } } },")
        .store("{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A)
            + ",\"anthropic:b\":" + apiKeyProfile("anthropic", KEY_B) + ",\"openai:k\":"
            + apiKeyProfile("openai", "sk-openai-key-1234567890") + "}"
            + (explicitOrder ? ",\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]}" : "") + "}")
        .start();
    return f;
  }

  private String say(String session, String text) {
    Message m = f.anthropic().messages().create(MessageCreateParams.builder().model("Sonnet").maxTokens(64)
        .addUserMessage(text).putAdditionalHeader("x-clawauth-session", session).build());
    return m.content().get(0).asText().text();
  }

  @Test
  void modelCommandsAreAnsweredByTheGatewayAndPinAModelAndProfilePerSession() throws Exception {
    start(true);
    String list = say("s1", "/model list");
    assertThat(list).contains("Opus -> anthropic/claude-opus-4-5").contains("anthropic:a").contains("anthropic:b");
    assertThat(f.provider.seen).isEmpty();

    assertThat(say("s1", "/model Opus@anthropic:b")).contains("anthropic/claude-opus-4-5").contains("anthropic:b");
    assertThat(say("s1", "hello")).isEqualTo("Hello from fake");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-opus-4-5\"");

    // Another session is not affected by the pin.
    say("s2", "hello");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-sonnet-4-5\"");

    String status = say("s1", "/model status");
    assertThat(status).contains("anthropic:b (api_key) [pinned]").contains("Next: anthropic:b")
        .contains("Endpoint: " + f.provider.baseUrl() + " (serves /v1/messages)");

    assertThat(say("s1", "/model default")).contains("default");
    say("s1", "hello");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    assertThat(say("s1", "/model Opus@nope")).contains("No profile nope");

    // A pinned profile removed by the CLI is forgotten; the session goes on with the others.
    say("s3", "/model Opus@anthropic:b");
    new dev.clawauth.store.FileStore(f.store).update(doc -> doc.removeProfile("anthropic:b"));
    assertThat(say("s3", "hello")).isEqualTo("Hello from fake");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    assertThat(say("s3", "/model status")).doesNotContain("[pinned]");
  }

  @Test
  void metadataUserIdNamesTheSessionAndOpenAiStreamingAnswersCommands() throws Exception {
    start(true);
    Message m = f.anthropic().messages().create(MessageCreateParams.builder().model("Sonnet").maxTokens(64)
        .metadata(Metadata.builder().userId("user-7").build()).addUserMessage("/model Opus@anthropic:b").build());
    assertThat(m.content().get(0).asText().text()).contains("anthropic:b");
    f.anthropic().messages().create(MessageCreateParams.builder().model("Sonnet").maxTokens(64)
        .metadata(Metadata.builder().userId("user-7").build()).addUserMessage("hi").build());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);

    try (var stream = f.openai().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model("gpt-4o").addUserMessage("/model status").putAdditionalHeader("x-clawauth-session", "o1").build())) {
      String text = stream.stream().flatMap(ch -> ch.choices().stream())
          .map(ch -> ch.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text).contains("Model: openai/gpt-4o").contains("openai:k");
    }
    var c = f.openai().chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("/model").build());
    assertThat(c.choices().get(0).message().content().orElse("")).contains("Profiles:");
    assertThat(f.provider.seen).hasSize(1);
  }

  @Test
  void aSessionKeepsItsProfileWhileRoundRobinMovesNewSessionsOn() throws Exception {
    start(false);
    say("s1", "hello");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    say("s2", "hello");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
    say("s2", "again");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
    say("s1", "again");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    // Without a session every request takes the least recently used profile.
    f.anthropic().messages().create(MessageCreateParams.builder().model("Sonnet").maxTokens(64).addUserMessage("x").build());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
  }
}
