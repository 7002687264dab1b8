package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any model on any wire, driven by the official SDKs: a tool round trip (definition, call, result,
 * final text) across dialects, plain and streamed, against a fake provider that checks the
 * translated request's shape and answers in its own wire.
 */
class TranslationGatewayTest {
  static final String ANTHROPIC_KEY = "sk-ant-api03-" + "k".repeat(40) + "AAAA";
  static final String OPENAI_KEY = "sk-openai-test-key-123456789";
  static final String CLAUDE = "anthropic/claude-sonnet-4-5";
  static final String GPT = "openai/gpt-4o";
  private static final ObjectMapper M = new ObjectMapper();

  @TempDir
  Path tmp;
  GatewayFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:key", apiKeyProfile("anthropic", ANTHROPIC_KEY),
        "openai:key", apiKeyProfile("openai", OPENAI_KEY))).start();
    f.provider.fallback = CrossWireProvider::answer;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  // ---- Chat Completions client, Claude model

  private static ChatCompletionCreateParams.Builder chatTurn() {
    return ChatCompletionCreateParams.builder().model(CLAUDE).addSystemMessage("Be brief.")
        .addUserMessage("Weather in Paris?").maxCompletionTokens(200)
        .addFunctionTool(FunctionDefinition.builder().name("weather").description("The weather now")
            .parameters(FunctionParameters.builder().putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build()).build());
  }

  private ChatCompletion chat(ChatCompletionCreateParams p, boolean stream) {
    if (!stream) {
      return f.openai().chat().completions().create(p);
    }
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (var s = f.openai().chat().completions().createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.chatCompletion();
  }

  @ParameterizedTest(name = "streaming {0}")
  @ValueSource(booleans = {false, true})
  void chatCompletionsClientRunsAToolRoundTripOnAClaudeModel(boolean stream) throws Exception {
    ChatCompletion first = chat(chatTurn().build(), stream);
    assertThat(first.model()).isEqualTo(CLAUDE);
    ChatCompletion.Choice choice = first.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage msg = choice.message();
    ChatCompletionMessageFunctionToolCall call = msg.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isEqualTo("toolu_01");
    assertThat(call.function().name()).isEqualTo("weather");
    assertThat(M.readTree(call.function().arguments())).isEqualTo(M.readTree("{\"city\":\"Paris\"}"));

    ChatCompletion second = chat(chatTurn().addMessage(msg).addMessage(ChatCompletionToolMessageParam.builder()
        .toolCallId(call.id()).content("18C").build()).build(), stream);
    assertThat(second.choices().get(0).message().content()).hasValue(CrossWireProvider.FINAL);
    assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);

    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/v1/messages");
    assertThat(up.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    JsonNode body = M.readTree(up.body());
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(200);
    assertThat(body.path("stream").asBoolean(false)).isEqualTo(stream);
  }

  // ---- Responses client, Claude model

  private static ResponseCreateParams responsesTurn(List<ResponseInputItem> extra) {
    List<ResponseInputItem> items = new ArrayList<>();
    items.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
        .content("Weather in Paris?").build()));
    items.addAll(extra);
    return ResponseCreateParams.builder().model(CLAUDE).instructions("Be brief.").inputOfResponse(items)
        .addTool(FunctionTool.builder().name("weather").description("The weather now").strict(false)
            .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build()).build()).build();
  }

  private Response respond(ResponseCreateParams p, boolean stream) {
    if (!stream) {
      return f.openai().responses().create(p);
    }
    ResponseAccumulator acc = ResponseAccumulator.create();
    try (var s = f.openai().responses().createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.response();
  }

  @ParameterizedTest(name = "streaming {0}")
  @ValueSource(booleans = {false, true})
  void responsesClientRunsAToolRoundTripOnAClaudeModel(boolean stream) throws Exception {
    Response first = respond(responsesTurn(List.of()), stream);
    ResponseFunctionToolCall call = first.output().stream().flatMap(o -> o.functionCall().stream()).findFirst()
        .orElseThrow();
    assertThat(call.callId()).isEqualTo("toolu_01");
    assertThat(call.name()).isEqualTo("weather");
    assertThat(M.readTree(call.arguments())).isEqualTo(M.readTree("{\"city\":\"Paris\"}"));

    Response second = respond(responsesTurn(List.of(ResponseInputItem.ofFunctionCall(call),
        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
            .output("18C").build()))), stream);
    String text = second.output().stream().flatMap(o -> o.message().stream()).flatMap(m -> m.content().stream())
        .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
    assertThat(text).isEqualTo(CrossWireProvider.FINAL);
    assertThat(M.readTree(f.provider.last().body()).path("stream").asBoolean(false)).isEqualTo(stream);
  }

  // ---- Messages client, OpenAI model (Chat Completions upstream)

  private static MessageCreateParams.Builder messagesTurn() {
    return MessageCreateParams.builder().model(GPT).maxTokens(200).system("Be brief.").addUserMessage("Weather in Paris?")
        .addTool(Tool.builder().name("weather").description("The weather now").inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder().putAdditionalProperty("city",
                JsonValue.from(Map.of("type", "string"))).build()).build()).build());
  }

  private Message message(MessageCreateParams p, boolean stream) {
    if (!stream) {
      return f.anthropic().messages().create(p);
    }
    MessageAccumulator acc = MessageAccumulator.create();
    try (var s = f.anthropic().messages().createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  @ParameterizedTest(name = "streaming {0}")
  @ValueSource(booleans = {false, true})
  void messagesClientRunsAToolRoundTripOnAnOpenAiModel(boolean stream) throws Exception {
    Message first = message(messagesTurn().build(), stream);
    assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
    ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(use.id()).isEqualTo("call_01");
    assertThat(use.name()).isEqualTo("weather");

    Message second = message(messagesTurn().addMessage(first).addMessage(MessageParam.ofUserOfContentBlockParams(
        List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(use.id()).content("18C")
            .build())))).build(), stream);
    assertThat(second.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text()).collect(Collectors.joining()))
        .isEqualTo(CrossWireProvider.FINAL);
    assertThat(second.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(second.model().asString()).isEqualTo(GPT);

    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/v1/chat/completions");
    assertThat(up.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
    assertThat(M.readTree(up.body()).path("model").asText()).isEqualTo("gpt-4o");
  }

  // ---- refusals and errors, in the client's own shape

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("authorization", "Bearer " + f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFieldWithoutACounterpartIsA400NamingItAndNothingGoesUpstream() throws Exception {
    assertThatThrownBy(() -> f.openai().chat().completions().create(ChatCompletionCreateParams.builder().model(CLAUDE)
        .addUserMessage("hi").n(2).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("n: only 1 is supported when " + CLAUDE + " is served over the Messages API");
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"" + GPT + "\",\"max_tokens\":5,\"top_k\":3,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = M.readTree(r.body());
    assertThat(err.path("type").asText()).isEqualTo("error");
    assertThat(err.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(err.path("error").path("message").asText())
        .isEqualTo("top_k: not supported when " + GPT + " is served over the Chat Completions API");
    HttpResponse<String> count = post("/v1/messages/count_tokens", "{\"model\":\"" + GPT + "\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(count.statusCode()).isEqualTo(400);
    assertThat(M.readTree(count.body()).path("error").path("message").asText()).startsWith("count_tokens: " + GPT);
    assertThat(f.provider.seen).isEmpty();
  }

  @ParameterizedTest(name = "streaming {0}")
  @ValueSource(booleans = {false, true})
  void upstreamErrorsReachTheClientInItsOwnShape(boolean stream) throws Exception {
    f.provider.fallback = s -> s.path().endsWith("/v1/messages")
        ? FakeProvider.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}")
        : FakeProvider.json(429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\","
            + "\"code\":\"rate_limit_exceeded\"}}", "retry-after", "30");
    HttpResponse<String> bad = post("/v1/chat/completions", "{\"model\":\"" + CLAUDE + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode openAiShape = M.readTree(bad.body());
    assertThat(openAiShape.path("error").path("message").asText())
        .isEqualTo("invalid_request_error: prompt is too long: 210000 tokens > 200000 maximum");
    assertThat(openAiShape.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(openAiShape.has("type")).isFalse();

    HttpResponse<String> limited = post("/v1/messages", "{\"model\":\"" + GPT + "\",\"max_tokens\":5,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(limited.statusCode()).isEqualTo(503);
    JsonNode anthropicShape = M.readTree(limited.body());
    assertThat(anthropicShape.path("type").asText()).isEqualTo("error");
    assertThat(anthropicShape.path("error").path("message").asText()).contains("rate_limit").contains("Rate limit reached");
    assertThat(limited.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void bothWiresListEveryModelTheyCanServeAndNotOnesOnAnApiTheGatewayDoesNotProxy() throws Exception {
    f.close();
    f = new GatewayFixture(tmp.resolve("models"));
    String base = f.provider.baseUrl();
    java.nio.file.Files.writeString(f.state.resolve("openclaw.json"), "{ models: { providers: {"
        + " anthropic: { baseUrl: '" + base + "' }, openai: { baseUrl: '" + base + "/v1' },"
        + " gemini: { baseUrl: '" + base + "', api: 'google-generative-ai' } } },"
        + " agents: { defaults: { models: { '" + CLAUDE + "': {}, '" + GPT + "': {}, 'gemini/gemini-2.5-pro': {} } } } }");
    f.start();
    assertThat(f.openai().models().list().data().stream().map(m -> m.id()).toList()).contains(CLAUDE, GPT)
        .doesNotContain("gemini/gemini-2.5-pro");
    assertThat(f.anthropic().models().list().data().stream().map(m -> m.id()).toList()).contains(CLAUDE, GPT)
        .doesNotContain("gemini/gemini-2.5-pro");
    assertThat(f.openai().models().retrieve(CLAUDE).id()).isEqualTo(CLAUDE);
    assertThat(f.anthropic().models().retrieve(GPT).id()).isEqualTo(GPT);
    assertThatThrownBy(() -> f.openai().models().retrieve("gemini/gemini-2.5-pro"))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
  }

  @Test
  void aPlainMessagesRequestToACodexModelStreamsUpstreamAndGetsOneWholeMessage() throws Exception {
    f.close();
    f = new GatewayFixture(tmp.resolve("codex"));
    f.store(storeJson("openai-codex:default", GatewayFixture.oauthProfile("openai-codex", "codex-access-token-1",
        "acct-123"))).start();
    f.provider.fallback = s -> CrossWireProvider.codexText("Hello from Codex");
    Message m = f.anthropic().messages().create(MessageCreateParams.builder().model("openai-codex/gpt-5.2")
        .maxTokens(100).system("Be brief.").addUserMessage("hi").build());
    assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Codex");
    assertThat(m.model().asString()).isEqualTo("openai-codex/gpt-5.2");
    assertThat(m.usage().outputTokens()).isEqualTo(3);
    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/backend-api/codex/responses");
    assertThat(up.header("accept")).isEqualTo("text/event-stream");
    JsonNode body = M.readTree(up.body());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("store").asBoolean(true)).isFalse();
    assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.has("max_output_tokens")).isFalse();
  }

  @Test
  void anAnswerTheGatewayCannotReadIsA502InTheClientsShape() throws Exception {
    f.provider.fallback = s -> FakeProvider.json(200, "[\"not an answer\"]");
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"" + CLAUDE + "\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(M.readTree(r.body()).path("error").path("message").asText())
        .startsWith("The answer from anthropic could not be translated");
  }
}
