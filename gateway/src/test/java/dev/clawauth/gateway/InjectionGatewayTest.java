package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.oauthProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static dev.clawauth.gateway.GatewayFixture.tokenProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway in front of a fake provider, driven by the official SDKs: what goes upstream per credential type. */
class InjectionGatewayTest {
  static final String API_KEY = "sk-ant-api03-" + "k".repeat(40) + "AAAA";
  static final String SETUP_TOKEN = "sk-ant-oat01-" + "t".repeat(80) + "BBBB";

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static MessageCreateParams hello(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("hello").build();
  }

  @Test
  void apiKeyGoesUpstreamAsXApiKeyWithTheCacheBetaMergedAndTheGatewayTokenNeverForwarded() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("agents: { defaults: { models: { 'anthropic/claude-opus-4-5': { alias: 'Opus', params: { cacheControlTtl: '1h' } } } } },")
        .store(storeJson("anthropic:key", apiKeyProfile("anthropic", API_KEY))).start();

    MessageCreateParams params = MessageCreateParams.builder().model("Opus").maxTokens(64)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("be brief")
            .cacheControl(CacheControlEphemeral.builder().build()).build()))
        .addUserMessage("hello")
        .putAdditionalHeader("anthropic-beta", "client-beta-1")
        .build();
    Message m = f.anthropic().messages().create(params);

    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from fake");
    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/v1/messages");
    assertThat(up.header("x-api-key")).isEqualTo(API_KEY);
    assertThat(up.header("authorization")).isNull();
    assertThat(up.header("anthropic-beta").split(",")).contains("client-beta-1", "extended-cache-ttl-2025-04-11");
    assertThat(up.header("anthropic-version")).isNotBlank(); // the client's own version is kept
    assertThat(up.body()).contains("\"model\":\"claude-opus-4-5\"").contains("\"ttl\":\"1h\"");
    assertThat(up.headers().toString()).doesNotContain(f.token());
    assertThat(f.log()).doesNotContain(API_KEY).doesNotContain(f.token());
  }

  @Test
  void configuredBetaHeadersAreMergedNotLost() throws Exception {
    f = new GatewayFixture(tmp);
    String base = f.provider.baseUrl();
    f.config("models: { providers: { anthropic: { baseUrl: '" + base + "', headers: { 'anthropic-beta': 'configured-beta' } } } },")
        .store(storeJson("anthropic:key", apiKeyProfile("anthropic", API_KEY))).start();
    f.anthropic().messages().create(hello("claude-sonnet-4-5"));
    assertThat(f.provider.last().header("anthropic-beta").split(","))
        .containsExactly("extended-cache-ttl-2025-04-11", "configured-beta");
  }

  static Stream<Arguments> credentialTypes() {
    List<String> subscription = List.of("claude-code-20250219", "oauth-2025-04-20", "configured-beta", "client-a", "client-b");
    return Stream.of(
        Arguments.of("API key", apiKeyProfile("anthropic", API_KEY),
            List.of("extended-cache-ttl-2025-04-11", "configured-beta", "client-a", "client-b")),
        Arguments.of("setup-token", tokenProfile("anthropic", SETUP_TOKEN), subscription),
        Arguments.of("Claude OAuth", oauthProfile("anthropic", "claude-oauth-access-1", null), subscription));
  }

  /**
   * The client's betas, on two header lines with a repeat, reach the provider on every credential
   * type: the gateway's own first, then configured, then the client's, each once (the subscription
   * types never send the cache-TTL beta, whoever asks for it).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("credentialTypes")
  void clientBetasAreMergedOnEveryCredentialTypeTheGatewaysFirstEachOnce(String name, String profile,
      List<String> expected) throws Exception {
    f = new GatewayFixture(tmp);
    f.config("models: { providers: { anthropic: { baseUrl: '" + f.provider.baseUrl()
        + "', headers: { 'anthropic-beta': 'configured-beta' } } } },")
        .store(storeJson("anthropic:p", profile)).start();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages"))
        .header("x-api-key", f.token()).header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "client-a, extended-cache-ttl-2025-04-11")
        .header("anthropic-beta", "client-b,configured-beta,client-a,extended-cache-ttl-2025-04-11")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.provider.seen).hasSize(1);
    assertThat(f.provider.last().header("anthropic-beta").split(",")).containsExactlyElementsOf(expected);
  }

  @Test
  void setupTokenGoesUpstreamAsBearerWithClaudeCodeHeadersAndSystemBlockButNoCacheBetaOrTtl() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("agents: { defaults: { models: { 'anthropic/claude-opus-4-5': { params: { cacheControlTtl: '1h' } } } } },")
        .store(storeJson("anthropic:manual", tokenProfile("anthropic", SETUP_TOKEN))).start();
    MessageCreateParams params = MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("be brief")
            .cacheControl(CacheControlEphemeral.builder().build()).build()))
        .addUserMessage("hello").putAdditionalHeader("anthropic-beta", "client-beta-1").build();
    f.anthropic().messages().create(params);

    FakeProvider.Seen up = f.provider.last();
    assertThat(up.header("authorization")).isEqualTo("Bearer " + SETUP_TOKEN);
    assertThat(up.header("x-api-key")).isNull();
    assertThat(up.header("anthropic-beta")).startsWith("claude-code-20250219,oauth-2025-04-20")
        .contains("client-beta-1").doesNotContain("extended-cache-ttl");
    assertThat(up.header("user-agent")).startsWith("claude-cli/").endsWith("(external, cli)");
    assertThat(up.header("x-app")).isEqualTo("cli");
    assertThat(up.body()).contains("\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\"}")
        .contains("be brief").doesNotContain("\"ttl\"");
  }

  @Test
  void codexOAuthCallsTheResponsesEndpointWithAccountHeader() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("openai-codex:default", oauthProfile("openai-codex", "codex-access-token-1", "acct-123"))).start();
    Response r = f.openai().responses().create(ResponseCreateParams.builder().model("openai-codex/gpt-5-codex")
        .input("hello").build());
    assertThat(r.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("Hello from fake");
    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/backend-api/codex/responses");
    assertThat(up.header("authorization")).isEqualTo("Bearer codex-access-token-1");
    assertThat(up.header("chatgpt-account-id")).isEqualTo("acct-123");
    assertThat(up.header("openai-beta")).isEqualTo("responses=experimental");
    assertThat(up.header("originator")).isNotBlank();
    assertThat(up.body()).contains("\"model\":\"gpt-5-codex\"");
  }

  @Test
  void openAiChatWithAnApiKeyAndStreaming() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("openai:key", apiKeyProfile("openai", "sk-openai-test-key-123456789"))).start();
    ChatCompletion c = f.openai().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o").addUserMessage("hello").build());
    assertThat(c.choices().get(0).message().content()).contains("Hello from fake");
    assertThat(f.provider.last().path()).isEqualTo("/v1/chat/completions");
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer sk-openai-test-key-123456789");

    try (var stream = f.openai().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model("openai/gpt-4o").addUserMessage("hello").build())) {
      String text = stream.stream().flatMap(ch -> ch.choices().stream())
          .map(ch -> ch.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text).isEqualTo("Hello from fake");
    }
  }

  @Test
  void anthropicStreamingAndCountTokens() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:key", apiKeyProfile("anthropic", API_KEY))).start();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = f.anthropic().messages().createStreaming(hello("claude-opus-4-5"))) {
      s.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
    }
    assertThat(text).hasToString("Hello from fake");
    long n = f.anthropic().messages().countTokens(MessageCountTokensParams.builder().model("claude-opus-4-5")
        .addUserMessage("hello").build()).inputTokens();
    assertThat(n).isEqualTo(42);
    assertThat(f.provider.last().path()).isEqualTo("/v1/messages/count_tokens");
  }

  /** Custom providers as OpenClaw declares them: a base URL, the API they speak, a model list. */
  private GatewayFixture customProviders(String providers, String extra) throws Exception {
    f = new GatewayFixture(tmp);
    f.config("models: { providers: {\n" + providers.replace("BASE", f.provider.baseUrl()) + "\n} },\n" + extra);
    return f;
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("x-api-key", f.token()).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("x-api-key", f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anthropicMessagesProviderIsServedOnMessagesWithItsKeyAsXApiKeyButNoneOfAnthropicsExtras() throws Exception {
    customProviders("minimax: { baseUrl: 'BASE/anthropic', api: 'anthropic-messages', models: [] },",
        "agents: { defaults: { models: { 'minimax/MiniMax-M2': { params: { cacheControlTtl: '1h' } } } } },")
        .store(storeJson("minimax:key", apiKeyProfile("minimax", "mm-key-1234567890"))).start();
    MessageCreateParams params = MessageCreateParams.builder().model("minimax/MiniMax-M2").maxTokens(64)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("be brief")
            .cacheControl(CacheControlEphemeral.builder().build()).build()))
        .addUserMessage("hello").putAdditionalHeader("anthropic-beta", "client-beta-1").build();

    Message m = f.anthropic().messages().create(params);

    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from fake");
    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/anthropic/v1/messages");
    assertThat(up.header("x-api-key")).isEqualTo("mm-key-1234567890");
    assertThat(up.header("authorization")).isNull();
    assertThat(up.header("anthropic-version")).isNotBlank();
    assertThat(up.header("anthropic-beta")).isEqualTo("client-beta-1");
    assertThat(up.body()).contains("\"model\":\"MiniMax-M2\"").doesNotContain("\"ttl\"");
    long n = f.anthropic().messages().countTokens(MessageCountTokensParams.builder().model("minimax/MiniMax-M2")
        .addUserMessage("hello").build()).inputTokens();
    assertThat(n).isEqualTo(42);
    assertThat(f.provider.last().path()).isEqualTo("/anthropic/v1/messages/count_tokens");
    assertThat(f.log()).doesNotContain("mm-key-1234567890");
  }

  @Test
  void anthropicMessagesProviderTakesATokenOrEnvKeyAsXApiKeyAlsoAsBearerWithAuthHeaderAndKeepsOneV1()
      throws Exception {
    customProviders("""
        'kimi-coding': { baseUrl: 'BASE/coding/v1', api: 'anthropic-messages', authHeader: true, models: [] },
        synthetic: { baseUrl: 'BASE/synthetic', api: 'anthropic-messages', models: [] },""", "")
        .store(storeJson("kimi-coding:manual", tokenProfile("kimi-coding", "kimi-token-1234567890")));
    f.envVars.put("SYNTHETIC_API_KEY", "syn-env-key-1234567890");
    f.start();

    f.anthropic().messages().create(hello("kimi-coding/k2"));
    FakeProvider.Seen up = f.provider.last();
    assertThat(up.path()).isEqualTo("/coding/v1/messages");
    assertThat(up.header("x-api-key")).isEqualTo("kimi-token-1234567890");
    assertThat(up.header("authorization")).isEqualTo("Bearer kimi-token-1234567890");
    assertThat(up.header("user-agent")).doesNotStartWith("claude-cli/");
    assertThat(up.body()).doesNotContain("You are Claude Code");

    f.anthropic().messages().create(hello("synthetic/hf:zai-org/GLM-4.6"));
    up = f.provider.last();
    assertThat(up.path()).isEqualTo("/synthetic/v1/messages");
    assertThat(up.header("x-api-key")).isEqualTo("syn-env-key-1234567890");
    assertThat(up.header("authorization")).isNull();
  }

  @Test
  void aProvidersConfiguredApiKeyComesLastWithItsVariablesResolvedAndAnUnsetOneIsNamed() throws Exception {
    customProviders("""
        minimax: { baseUrl: 'BASE/anthropic', api: 'anthropic-messages', apiKey: '${MM_KEY}', models: [] },
        local: { baseUrl: '${LOCAL_URL}/v1', api: 'openai-completions',
          apiKey: { source: 'env', provider: 'default', id: 'LOCAL_KEY' }, models: [] },
        relay: { baseUrl: 'BASE/v1', api: 'openai-completions', apiKey: 'RELAY_KEY', models: [] },
        plain: { baseUrl: 'BASE/v1', api: 'openai-completions', apiKey: 'plain-literal-key-123456', models: [] },
        ghost: { baseUrl: 'BASE/v1', api: 'openai-completions', apiKey: '${GHOST_KEY}', models: [] },
        far: { baseUrl: '${FAR_URL}/v1', api: 'openai-completions', apiKey: 'far-literal-key-123456', models: [] },
        typo: { baseUrl: 'http//no host/v1', api: 'openai-completions', apiKey: 'typo-literal-key-123456', models: [] },""",
        "").store(storeJson("minimax:revoked", apiKeyProfile("minimax", "mm-revoked-key-123456")));
    f.envVars.put("MM_KEY", "mm-config-key-1234567890");
    f.envVars.put("LOCAL_URL", f.provider.baseUrl() + "/local");
    f.envVars.put("LOCAL_KEY", "local-config-key-1234567890");
    f.envVars.put("RELAY_KEY", "relay-env-key-1234567890");
    f.provider.when("mm-revoked-key-123456", FakeProvider.json(401,
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
    f.start();

    // The store's profile first, as OpenClaw orders them; its 401 fails over to the config's key.
    f.anthropic().messages().create(hello("minimax/MiniMax-M2"));
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential)
        .containsExactly("mm-revoked-key-123456", "mm-config-key-1234567890");
    assertThat(f.provider.last().header("x-api-key")).isEqualTo("mm-config-key-1234567890");

    String chat = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(post("/v1/chat/completions", chat.formatted("local/qwen3")).statusCode()).isEqualTo(200);
    assertThat(f.provider.last().path()).isEqualTo("/local/v1/chat/completions");
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer local-config-key-1234567890");
    // A bare variable name, as the agent's models.json allows, is that variable's value.
    assertThat(post("/v1/chat/completions", chat.formatted("relay/m")).statusCode()).isEqualTo(200);
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer relay-env-key-1234567890");
    assertThat(post("/v1/chat/completions", chat.formatted("plain/m")).statusCode()).isEqualTo(200);
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer plain-literal-key-123456");

    int before = f.provider.seen.size();
    HttpResponse<String> ghost = post("/v1/chat/completions", chat.formatted("ghost/m"));
    assertThat(ghost.statusCode()).isEqualTo(503);
    assertThat(ghost.body()).contains("models.providers.ghost.apiKey: refers to ${GHOST_KEY}, which is not set");
    HttpResponse<String> far = post("/v1/chat/completions", chat.formatted("far/m"));
    assertThat(far.statusCode()).isEqualTo(502);
    assertThat(far.body()).contains("models.providers.far.baseUrl").contains("refers to ${FAR_URL}, which is not set");
    HttpResponse<String> typo = post("/v1/chat/completions", chat.formatted("typo/m"));
    assertThat(typo.statusCode()).isEqualTo(502);
    assertThat(typo.body()).contains("models.providers.typo.baseUrl").contains("is not a URL");
    assertThat(f.provider.seen).hasSize(before);

    assertThat(get("/metrics")).contains("clawauth_gateway_failovers_total{profile=\"config\",provider=\"minimax\",reason=\"auth\"} 1.0");
    // /model status names the config key among the candidates, and says when it cannot be used.
    assertThat(f.anthropic().messages().create(MessageCreateParams.builder().model("ghost/m").maxTokens(8)
        .addUserMessage("/model status").build()).content().get(0).asText().text())
        .contains("(serves /v1/chat/completions)")
        .contains("config: models.providers.ghost.apiKey refers to ${GHOST_KEY}, which is not set")
        .contains("Next: (none usable)");
    assertThat(f.log()).doesNotContain("mm-config-key").doesNotContain("local-config-key")
        .doesNotContain("relay-env-key").doesNotContain("plain-literal-key");
  }

  @Test
  void aGatewayTokenNamingAnUnsetVariableIsNeverTakenLiterally() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("gateway: { auth: { token: '${MY_GATEWAY_TOKEN}' } },").store(storeJson()).start();
    assertThat(f.token()).isNotEqualTo("${MY_GATEWAY_TOKEN}").matches("[0-9a-f]{64}");
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/status"))
        .header("x-api-key", "${MY_GATEWAY_TOKEN}").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    f.close();

    f = new GatewayFixture(tmp.resolve("set"));
    f.envVars.put("MY_GATEWAY_TOKEN", "gw-token-from-the-environment");
    f.config("gateway: { auth: { token: '${MY_GATEWAY_TOKEN}' } },").store(storeJson()).start();
    assertThat(f.token()).isEqualTo("gw-token-from-the-environment");
  }

  @Test
  void eachCustomProviderIsReachedFromTheOtherWiresInItsOwnApi() throws Exception {
    customProviders("""
        minimax: { baseUrl: 'BASE/anthropic', api: 'anthropic-messages', models: [] },
        local: { baseUrl: 'BASE/v1', api: 'openai-completions', models: [] },
        relay: { baseUrl: 'BASE/v1', api: 'openai-responses', models: [] },
        anthropic: { baseUrl: 'BASE/proxy/v1', api: 'openai-completions', models: [] },""", "")
        .store(storeJson("minimax:key", apiKeyProfile("minimax", "mm-key-1234567890"),
            "local:key", apiKeyProfile("local", "local-key-1234567890"),
            "anthropic:key", apiKeyProfile("anthropic", API_KEY))).start();

    HttpResponse<String> chat = post("/v1/chat/completions",
        "{\"model\":\"minimax/MiniMax-M2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(chat.body()).contains("\"object\":\"chat.completion\"").contains("Hello from fake");
    assertThat(f.provider.last().path()).isEqualTo("/anthropic/v1/messages");
    assertThat(f.provider.last().header("x-api-key")).isEqualTo("mm-key-1234567890");

    HttpResponse<String> messages = post("/v1/messages",
        "{\"model\":\"local/qwen3\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
    assertThat(messages.body()).startsWith("{\"id\":\"msg_").contains("Hello from fake");
    assertThat(f.provider.last().path()).isEqualTo("/v1/chat/completions");
    HttpResponse<String> responses = post("/v1/responses", "{\"model\":\"local/qwen3\",\"input\":\"hi\"}");
    assertThat(responses.statusCode()).as(responses.body()).isEqualTo(200);
    assertThat(responses.body()).contains("\"object\":\"response\"").contains("Hello from fake");
    assertThat(f.provider.seen).hasSize(3);

    ChatCompletion c = f.openai().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("local/qwen3").addUserMessage("hello").build());
    assertThat(c.choices().get(0).message().content()).contains("Hello from fake");
    assertThat(f.provider.last().path()).isEqualTo("/v1/chat/completions");
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer local-key-1234567890");
    assertThat(f.provider.last().header("x-api-key")).isNull();

    // Even Anthropic's own id follows its configured api: an OpenAI-style key header, no Anthropic extras.
    f.openai().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("anthropic/claude-opus-4-5").addUserMessage("hello").build());
    assertThat(f.provider.last().path()).isEqualTo("/proxy/v1/chat/completions");
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(f.provider.last().header("x-api-key")).isNull();
    assertThat(f.provider.last().header("anthropic-beta")).isNull();
  }

  /** OpenClaw serves an inline model with its own {@code api} before its provider's. */
  @Test
  void aModelsOwnApiComesBeforeItsProviders() throws Exception {
    customProviders("""
        mixed: { baseUrl: 'BASE/mixed', api: 'openai-completions', models: [
          { id: 'gpt-x', name: 'GPT X' },
          { id: 'claude-x', name: 'Claude X', api: 'anthropic-messages' },
          { id: 'gem-x', name: 'Gem X', api: 'google-generative-ai' } ] },""", "")
        .store(storeJson("mixed:key", apiKeyProfile("mixed", "mixed-key-1234567890"))).start();

    HttpResponse<String> claude = post("/v1/messages",
        "{\"model\":\"mixed/claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(claude.statusCode()).as(claude.body()).isEqualTo(200);
    assertThat(f.provider.last().path()).isEqualTo("/mixed/v1/messages");
    assertThat(f.provider.last().header("x-api-key")).isEqualTo("mixed-key-1234567890");

    HttpResponse<String> gpt = post("/v1/messages",
        "{\"model\":\"mixed/gpt-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(gpt.statusCode()).as(gpt.body()).isEqualTo(200);
    assertThat(f.provider.last().path()).isEqualTo("/mixed/v1/chat/completions");
    HttpResponse<String> gem = post("/v1/chat/completions", "{\"model\":\"mixed/gem-x\",\"messages\":[]}");
    assertThat(gem.statusCode()).isEqualTo(400);
    assertThat(gem.body()).contains("models.providers.mixed.models[2].api is \\\"google-generative-ai\\\"")
        .contains("does not proxy");
    assertThat(f.provider.seen).hasSize(2);
  }

  @Test
  void anApiValueTheGatewayDoesNotProxyIs400NamingTheKeyAndValueAndNothingGoesUpstream() throws Exception {
    customProviders("""
        acme: { baseUrl: 'BASE/acme', api: 'anthropic', models: [] },
        llama: { baseUrl: 'BASE/ollama', api: 'ollama', models: [] },""", "")
        .store(storeJson("acme:key", apiKeyProfile("acme", "acme-key-1234567890"))).start();

    HttpResponse<String> unknown = post("/v1/messages",
        "{\"model\":\"acme/m1\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"")
        .contains("models.providers.acme.api is \\\"anthropic\\\"").contains("not an API OpenClaw knows")
        .contains("anthropic-messages");
    HttpResponse<String> other = post("/v1/chat/completions", "{\"model\":\"llama/qwen3\",\"messages\":[]}");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(other.body()).contains("models.providers.llama.api is \\\"ollama\\\"")
        .contains("does not proxy");
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void wrongOrMissingGatewayTokenIs401InTheApisFormatAndIsNotLogged() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:key", apiKeyProfile("anthropic", API_KEY))).start();
    var wrong = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(f.url())
        .apiKey("not-the-token-zzzz").maxRetries(0).build();
    assertThatThrownBy(() -> wrong.messages().create(hello("claude-opus-4-5")))
        .isInstanceOf(UnauthorizedException.class).hasMessageContaining("gateway token");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("\"error\":{\"message\"").contains("\"type\":\"authentication_error\"");
    assertThat(f.provider.seen).isEmpty();
    assertThat(f.log()).contains("401").doesNotContain("not-the-token-zzzz").doesNotContain(f.token());
    // Bearer works as well as x-api-key, and the token file is private.
    HttpResponse<String> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/models"))
        .header("authorization", "Bearer " + f.token()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.state.resolve(GatewayToken.FILE))))
        .isEqualTo("rw-------");
    assertThat(f.token()).matches("[0-9a-f]{64}");
  }
}
