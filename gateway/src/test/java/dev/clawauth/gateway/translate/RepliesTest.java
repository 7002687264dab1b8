package dev.clawauth.gateway.translate;

import static dev.clawauth.gateway.translate.RequestsTest.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RepliesTest {
  private static final ObjectMapper M = new ObjectMapper();

  static JsonNode translate(Dialect up, Dialect client, String body) throws IOException {
    return M.readTree(Replies.translate(up, client, j(body).toString().getBytes(StandardCharsets.UTF_8), "my-model"));
  }

  private static final String MESSAGE_WITH_TOOL = """
      {'id':'msg_1','type':'message','role':'assistant','model':'claude-sonnet-4-5',
       'content':[{'type':'thinking','thinking':'hmm','signature':'s'},{'type':'text','text':'Let me check.'},
         {'type':'tool_use','id':'toolu_1','name':'weather','input':{'city':'Paris'}}],
       'stop_reason':'tool_use','stop_sequence':null,
       'usage':{'input_tokens':10,'output_tokens':5,'cache_read_input_tokens':100,'cache_creation_input_tokens':0}}""";

  @Test
  void aMessageWithAToolCallBecomesAChatCompletion() throws Exception {
    JsonNode c = translate(Dialect.MESSAGES, Dialect.CHAT_COMPLETIONS, MESSAGE_WITH_TOOL);
    assertThat(c.get("id").asText()).isEqualTo("chatcmpl-1");
    assertThat(c.get("object").asText()).isEqualTo("chat.completion");
    assertThat(c.get("model").asText()).isEqualTo("my-model");
    assertThat(c.at("/choices/0/message/content").asText()).isEqualTo("Let me check.");
    assertThat(c.at("/choices/0/message/tool_calls/0")).isEqualTo(j("""
        {'id':'toolu_1','type':'function','function':{'name':'weather','arguments':'{\\'city\\':\\'Paris\\'}'}}"""));
    assertThat(c.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(c.at("/usage/prompt_tokens").asLong()).isEqualTo(110);
    assertThat(c.at("/usage/completion_tokens").asLong()).isEqualTo(5);
  }

  @Test
  void aMessageBecomesAResponseObject() throws Exception {
    JsonNode r = translate(Dialect.MESSAGES, Dialect.RESPONSES, MESSAGE_WITH_TOOL);
    assertThat(r.get("object").asText()).isEqualTo("response");
    assertThat(r.get("status").asText()).isEqualTo("completed");
    assertThat(r.at("/output/0/type").asText()).isEqualTo("message");
    assertThat(r.at("/output/0/content/0/text").asText()).isEqualTo("Let me check.");
    assertThat(r.at("/output/1/type").asText()).isEqualTo("function_call");
    assertThat(r.at("/output/1/call_id").asText()).isEqualTo("toolu_1");
    assertThat(r.at("/usage/input_tokens").asLong()).isEqualTo(110);
  }

  @Test
  void stopReasonsMap() throws Exception {
    String msg = "{'id':'msg_2','content':[{'type':'text','text':'cut'}],'stop_reason':'%s','usage':{}}";
    assertThat(translate(Dialect.MESSAGES, Dialect.CHAT_COMPLETIONS, msg.formatted("max_tokens"))
        .at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(translate(Dialect.MESSAGES, Dialect.CHAT_COMPLETIONS, msg.formatted("stop_sequence"))
        .at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode incomplete = translate(Dialect.MESSAGES, Dialect.RESPONSES, msg.formatted("max_tokens"));
    assertThat(incomplete.get("status").asText()).isEqualTo("incomplete");
    assertThat(incomplete.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    String chat = "{'id':'chatcmpl-3','choices':[{'message':{'content':'x'},'finish_reason':'%s'}],'usage':{}}";
    assertThat(translate(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES, chat.formatted("length"))
        .get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(translate(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES, chat.formatted("stop"))
        .get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void aChatCompletionWithToolCallsBecomesAMessage() throws Exception {
    JsonNode m = translate(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES, """
        {'id':'chatcmpl-9','object':'chat.completion','model':'gpt-4o','choices':[{'index':0,'message':{'role':'assistant',
          'content':null,'tool_calls':[{'id':'call_1','type':'function','function':{'name':'add','arguments':'{\\'a\\':1}'}}]},
          'finish_reason':'tool_calls'}],'usage':{'prompt_tokens':7,'completion_tokens':3,'total_tokens':10}}""");
    assertThat(m).isEqualTo(j("""
        {'id':'msg_9','type':'message','role':'assistant','model':'my-model',
         'content':[{'type':'tool_use','id':'call_1','name':'add','input':{'a':1}}],
         'stop_reason':'tool_use','stop_sequence':null,
         'usage':{'input_tokens':7,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':3}}"""));
  }

  @Test
  void aChatCompletionWithToolCallsThatSaysStopStillTellsAMessagesClientToUseTheTools() throws Exception {
    // Some OpenAI-compatible servers end a tool call with "stop", as ChatStreamReader handles for streams.
    JsonNode m = translate(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES, """
        {'id':'chatcmpl-8','choices':[{'index':0,'message':{'role':'assistant','content':'Checking.',
          'tool_calls':[{'id':'call_1','type':'function','function':{'name':'add','arguments':'{}'}}]},
          'finish_reason':'stop'}],'usage':{}}""");
    assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(m.at("/content/1/type").asText()).isEqualTo("tool_use");
  }

  @Test
  void aResponseObjectBecomesAMessageAndAChatCompletion() throws Exception {
    String resp = """
        {'id':'resp_5','object':'response','status':'completed','output':[
          {'type':'reasoning','id':'rs_1','summary':[]},
          {'type':'message','id':'m1','role':'assistant','content':[{'type':'output_text','text':'Hi','annotations':[]}]},
          {'type':'function_call','id':'fc_1','call_id':'call_2','name':'f','arguments':'{}'}],
         'usage':{'input_tokens':4,'output_tokens':2,'input_tokens_details':{'cached_tokens':1}}}""";
    JsonNode m = translate(Dialect.RESPONSES, Dialect.MESSAGES, resp);
    assertThat(m.get("id").asText()).isEqualTo("msg_5");
    assertThat(m.get("content")).isEqualTo(M.readTree("""
        [{"type":"text","text":"Hi"},{"type":"tool_use","id":"call_2","name":"f","input":{}}]"""));
    assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode c = translate(Dialect.RESPONSES, Dialect.CHAT_COMPLETIONS, resp);
    assertThat(c.at("/choices/0/message/content").asText()).isEqualTo("Hi");
    assertThat(c.at("/usage/prompt_tokens").asLong()).isEqualTo(4);
  }

  @Test
  void anUnreadableAnswerIsAnError() {
    assertThatThrownBy(() -> Replies.translate(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES,
        "{\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8), "m"))
        .isInstanceOf(IOException.class).hasMessageContaining("no choices");
    assertThatThrownBy(() -> Replies.translate(Dialect.MESSAGES, Dialect.RESPONSES,
        "<html>".getBytes(StandardCharsets.UTF_8), "m")).isInstanceOf(IOException.class);
  }
}
