package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming scan of request bodies: validation, the fields kept, and bytes passed unchanged. */
class RequestBodyTest {
  private static RequestBody scan(String json, Api api) throws IOException {
    return RequestBody.scan(json.getBytes(StandardCharsets.UTF_8), api);
  }

  @Test
  void keepsOnlyTheFieldsTheGatewayReadsAndTheLastMessage() throws Exception {
    String json = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"tools\":[{\"a\":[1,2,{\"b\":\"]}\"}]}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"x\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"/model list\"}]}],"
        + "\"stream\":true,\"metadata\":{\"user_id\":\"u-1\"}}";
    RequestBody b = scan(json, Api.ANTHROPIC_MESSAGES);
    assertThat(b.fields().path("model").asText()).isEqualTo("claude-opus-4-5");
    assertThat(b.fields().path("stream").asBoolean()).isTrue();
    assertThat(b.fields().path("metadata").path("user_id").asText()).isEqualTo("u-1");
    assertThat(b.fields().has("tools")).isFalse();
    assertThat(b.fields().path("messages")).hasSize(1);
    assertThat(Api.ANTHROPIC_MESSAGES.lastUserText(b.fields())).isEqualTo("/model list");
    assertThat(b.unchanged()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    assertThat(b.bytes()).isSameAs(b.unchanged());
  }

  @Test
  void responsesInputAsTextOrAsItems() throws Exception {
    assertThat(Api.OPENAI_RESPONSES.lastUserText(scan("{\"input\":\"/model\"}", Api.OPENAI_RESPONSES).fields()))
        .isEqualTo("/model");
    RequestBody items = scan("{\"input\":[\"a\",{\"role\":\"user\",\"content\":\"hi\"}]}", Api.OPENAI_RESPONSES);
    assertThat(Api.OPENAI_RESPONSES.lastUserText(items.fields())).isEqualTo("hi");
    assertThat(scan("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},\"tail\"]}", Api.OPENAI_CHAT)
        .fields().path("messages").get(0).asText()).isEqualTo("tail");
  }

  @Test
  void renamingTheModelRewritesOnlyThatField() throws Exception {
    RequestBody b = scan("{\"model\":\"Opus\",\"messages\":[],\"x\":{\"y\":[1.5,null,true]}}", Api.ANTHROPIC_MESSAGES);
    b.renameModel("claude-opus-4-5");
    assertThat(b.unchanged()).isNull();
    assertThat(new String(b.bytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"claude-opus-4-5\",\"messages\":[],\"x\":{\"y\":[1.5,null,true]}}");
  }

  @Test
  void invalidBodiesAreRefused() throws Exception {
    for (String bad : new String[] {"", "{", "{\"a\":1}{", "{\"a\":1} x", "{\"messages\":[{\"role\":\"user\"}", "{a:1}",
        "{\"messages\":[1,2", "[1,2"}) {
      assertThatThrownBy(() -> scan(bad, Api.ANTHROPIC_MESSAGES)).as(bad).isInstanceOf(IOException.class);
    }
    assertThat(scan("[1,2]", Api.ANTHROPIC_MESSAGES)).isNull();
    assertThat(scan("\"text\"", Api.ANTHROPIC_MESSAGES)).isNull();
  }

  @Test
  void mayContainFindsBytes() throws Exception {
    RequestBody b = scan("{\"system\":[{\"type\":\"text\",\"cache_control\":{\"type\":\"ephemeral\"}}]}", Api.ANTHROPIC_MESSAGES);
    assertThat(b.mayContain("cache_control")).isTrue();
    assertThat(b.mayContain("cache_controls")).isFalse();
  }
}
