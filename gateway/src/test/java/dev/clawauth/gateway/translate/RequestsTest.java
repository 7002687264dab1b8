package dev.clawauth.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RequestsTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Target TO_MESSAGES = new Target(Dialect.MESSAGES, "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5",
      false, 4096, false);
  private static final Target TO_CHAT = new Target(Dialect.CHAT_COMPLETIONS, "gpt-4o", "openai/gpt-4o", false, 4096, true);
  private static final Target TO_RESPONSES = new Target(Dialect.RESPONSES, "gpt-5", "openai/gpt-5", false, 4096, false);
  private static final Target TO_CODEX = new Target(Dialect.RESPONSES, "gpt-5.2", "openai-codex/gpt-5.2", true, 4096,
      false);

  /** JSON written with single quotes, for readable expectations. */
  static ObjectNode j(String s) {
    try {
      return (ObjectNode) M.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** The translated body as a client reads it back: numbers typed by their text, not by how they were set. */
  static JsonNode translate(Dialect from, String body, Target to) throws Unsupported {
    try {
      return M.readTree(Requests.translate(from, j(body), to).toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void chatToMessagesMovesSystemOutAndToolResultsIntoAUserTurn() throws Exception {
    JsonNode out = translate(Dialect.CHAT_COMPLETIONS, """
        {'model':'claude','messages':[
          {'role':'system','content':'Be brief.'},
          {'role':'developer','content':[{'type':'text','text':'Use tools.'}]},
          {'role':'user','content':'Weather in Paris?'},
          {'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',
            'function':{'name':'weather','arguments':'{\\'city\\':\\'Paris\\'}'}}]},
          {'role':'tool','tool_call_id':'call_1','content':'18C'},
          {'role':'user','content':'And tomorrow?'}],
         'tools':[{'type':'function','function':{'name':'weather','description':'Weather now',
           'parameters':{'type':'object','properties':{'city':{'type':'string'}}}}}],
         'tool_choice':'required','parallel_tool_calls':false,'max_completion_tokens':300,
         'temperature':0.2,'top_p':0.9,'stop':'END','user':'u-1','stream':true,
         'stream_options':{'include_usage':true}}""", TO_MESSAGES);
    assertThat(out).isEqualTo(j("""
        {'model':'claude-sonnet-4-5',
         'system':[{'type':'text','text':'Be brief.'},{'type':'text','text':'Use tools.'}],
         'messages':[
           {'role':'user','content':[{'type':'text','text':'Weather in Paris?'}]},
           {'role':'assistant','content':[{'type':'tool_use','id':'call_1','name':'weather','input':{'city':'Paris'}}]},
           {'role':'user','content':[{'type':'tool_result','tool_use_id':'call_1','content':[{'type':'text','text':'18C'}]},
             {'type':'text','text':'And tomorrow?'}]}],
         'max_tokens':300,'temperature':0.2,'top_p':0.9,'stop_sequences':['END'],'stream':true,
         'metadata':{'user_id':'u-1'},
         'tools':[{'name':'weather','description':'Weather now',
           'input_schema':{'type':'object','properties':{'city':{'type':'string'}}}}],
         'tool_choice':{'type':'any','disable_parallel_tool_use':true}}"""));
  }

  @Test
  void messagesGetTheDefaultMaxTokensAndKeepCacheMarkers() throws Exception {
    JsonNode out = translate(Dialect.CHAT_COMPLETIONS, """
        {'model':'c','messages':[{'role':'user','content':[
          {'type':'text','text':'long context','cache_control':{'type':'ephemeral','ttl':'1h'}}]}]}""", TO_MESSAGES);
    assertThat(out.get("max_tokens").asLong()).isEqualTo(4096);
    assertThat(out.at("/messages/0/content/0/cache_control")).isEqualTo(j("{'type':'ephemeral','ttl':'1h'}"));
    assertThat(out.has("stream")).isFalse();
  }

  @Test
  void imagesCrossBetweenDataUrlsAndBase64Blocks() throws Exception {
    JsonNode toMessages = translate(Dialect.CHAT_COMPLETIONS, """
        {'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}},
          {'type':'image_url','image_url':{'url':'https://x.test/a.jpg','detail':'low'}}]}]}""", TO_MESSAGES);
    assertThat(toMessages.at("/messages/0/content")).isEqualTo(M.readTree("""
        [{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
         {"type":"image","source":{"type":"url","url":"https://x.test/a.jpg"}}]"""));
    JsonNode toResponses = translate(Dialect.MESSAGES, """
        {'max_tokens':10,'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64',
          'media_type':'image/jpeg','data':'BBBB'}},{'type':'text','text':'what is it?'}]}]}""", TO_RESPONSES);
    assertThat(toResponses.at("/input/0")).isEqualTo(j("""
        {'type':'message','role':'user','content':[{'type':'input_image','image_url':'data:image/jpeg;base64,BBBB'},
          {'type':'input_text','text':'what is it?'}]}"""));
  }

  @Test
  void messagesToChatSplitsToolResultsIntoToolMessagesAndDropsCacheMarkers() throws Exception {
    JsonNode out = translate(Dialect.MESSAGES, """
        {'model':'gpt','max_tokens':500,'system':[{'type':'text','text':'Sys','cache_control':{'type':'ephemeral'}}],
         'messages':[{'role':'user','content':'Run ls'},
           {'role':'assistant','content':[{'type':'text','text':'Running.'},
             {'type':'tool_use','id':'toolu_1','name':'bash','input':{'cmd':'ls'}}]},
           {'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':'a.txt'},
             {'type':'text','text':'thanks'}]}],
         'tools':[{'name':'bash','input_schema':{'type':'object'},'cache_control':{'type':'ephemeral'}}],
         'tool_choice':{'type':'tool','name':'bash'},'stop_sequences':['X'],'stream':true,
         'metadata':{'user_id':'me'},'thinking':{'type':'enabled','budget_tokens':1024}}""", TO_CHAT);
    assertThat(out).isEqualTo(j("""
        {'model':'gpt-4o','messages':[{'role':'system','content':'Sys'},{'role':'user','content':'Run ls'},
          {'role':'assistant','content':'Running.','tool_calls':[{'id':'toolu_1','type':'function',
            'function':{'name':'bash','arguments':'{\\'cmd\\':\\'ls\\'}'}}]},
          {'role':'tool','tool_call_id':'toolu_1','content':'a.txt'},{'role':'user','content':'thanks'}],
         'max_completion_tokens':500,'stop':['X'],'stream':true,'stream_options':{'include_usage':true},
         'user':'me','tools':[{'type':'function','function':{'name':'bash','parameters':{'type':'object'}}}],
         'tool_choice':{'type':'function','function':{'name':'bash'}}}"""));
  }

  @Test
  void responsesToMessagesTakesInstructionsFunctionCallsAndOutputs() throws Exception {
    JsonNode out = translate(Dialect.RESPONSES, """
        {'model':'claude','instructions':'Be terse.','input':[
          {'role':'user','content':'Add 2 and 3'},
          {'type':'reasoning','id':'rs_1','summary':[]},
          {'type':'function_call','call_id':'call_9','name':'add','arguments':'{\\'a\\':2,\\'b\\':3}'},
          {'type':'function_call_output','call_id':'call_9','output':'5'}],
         'tools':[{'type':'function','name':'add','parameters':{'type':'object'},'strict':false}],
         'tool_choice':{'type':'function','name':'add'},'max_output_tokens':64,'store':false,
         'reasoning':{'effort':'low'},'include':['reasoning.encrypted_content']}""", TO_MESSAGES);
    assertThat(out).isEqualTo(j("""
        {'model':'claude-sonnet-4-5','system':[{'type':'text','text':'Be terse.'}],'messages':[
          {'role':'user','content':[{'type':'text','text':'Add 2 and 3'}]},
          {'role':'assistant','content':[{'type':'tool_use','id':'call_9','name':'add','input':{'a':2,'b':3}}]},
          {'role':'user','content':[{'type':'tool_result','tool_use_id':'call_9','content':[{'type':'text','text':'5'}]}]}],
         'max_tokens':64,'tools':[{'name':'add','input_schema':{'type':'object'}}],
         'tool_choice':{'type':'tool','name':'add'}}"""));
  }

  @Test
  void chatToResponsesAndBack() throws Exception {
    JsonNode toResponses = translate(Dialect.CHAT_COMPLETIONS, """
        {'messages':[{'role':'system','content':'S'},{'role':'user','content':'hi'}],'max_tokens':9,
         'response_format':{'type':'json_schema','json_schema':{'name':'r','schema':{'type':'object'},'strict':true}},
         'tools':[{'type':'function','function':{'name':'f','parameters':{'type':'object'}}}],'reasoning_effort':'low'}""",
        TO_RESPONSES);
    assertThat(toResponses).isEqualTo(j("""
        {'model':'gpt-5','instructions':'S','input':[{'type':'message','role':'user','content':[{'type':'input_text','text':'hi'}]}],
         'max_output_tokens':9,'tools':[{'type':'function','name':'f','parameters':{'type':'object'},'strict':false}],
         'text':{'format':{'type':'json_schema','name':'r','schema':{'type':'object'},'strict':true}},
         'reasoning':{'effort':'low'}}"""));
    JsonNode toChat = translate(Dialect.RESPONSES, "{'input':'hello','instructions':'S','max_output_tokens':5}", TO_CHAT);
    assertThat(toChat).isEqualTo(j("""
        {'model':'gpt-4o','messages':[{'role':'system','content':'S'},{'role':'user','content':'hello'}],
         'max_completion_tokens':5}"""));
  }

  @Test
  void anthropicStructuredOutputBecomesAStrictJsonSchemaAndHintsAreDropped() throws Exception {
    JsonNode out = translate(Dialect.MESSAGES, """
        {'max_tokens':10,'messages':[{'role':'user','content':'hi'}],'cache_control':{'type':'ephemeral'},
         'context_management':{'edits':[]},'speed':'fast',
         'output_config':{'effort':'low','format':{'type':'json_schema','schema':{'type':'object'}}}}""", TO_CHAT);
    assertThat(out).isEqualTo(j("""
        {'model':'gpt-4o','messages':[{'role':'user','content':'hi'}],'max_completion_tokens':10,
         'response_format':{'type':'json_schema','json_schema':{'name':'output','schema':{'type':'object'},'strict':true}}}"""));
  }

  @Test
  void codexAlwaysStreamsStoresNothingAndHasInstructions() throws Exception {
    JsonNode out = translate(Dialect.MESSAGES, "{'max_tokens':100,'messages':[{'role':'user','content':'hi'}]}",
        TO_CODEX);
    assertThat(out).isEqualTo(j("""
        {'model':'gpt-5.2','instructions':'','input':[{'type':'message','role':'user','content':[
          {'type':'input_text','text':'hi'}]}],'stream':true,'store':false}"""));
  }

  @Test
  void hostedWebSearchAndToolNamespacesOfferedByCodexAreLeftOutTowardClaude() throws Exception {
    JsonNode out = translate(Dialect.RESPONSES, """
        {'tools':[{'type':'web_search','external_web_access':false},
          {'type':'namespace','name':'multi_agent_v1','tools':[{'type':'function','name':'close_agent','parameters':{}}]},
          {'type':'function','name':'exec_command','parameters':{'type':'object'}}],
         'input':[{'role':'developer','content':'be brief'},{'role':'user','content':'hi'}],
         'client_metadata':{'session_id':'s'}}""", TO_MESSAGES);
    assertThat(out.get("tools")).hasSize(1);
    assertThat(out.at("/tools/0/name").asText()).isEqualTo("exec_command");
    assertThat(out.has("client_metadata")).isFalse();
  }

  @Test
  void aSystemMessageInTheConversationStaysInPlaceTowardOpenAi() throws Exception {
    JsonNode out = translate(Dialect.MESSAGES, """
        {'max_tokens':5,'messages':[{'role':'user','content':'hi'},{'role':'system','content':'answer in French'},
          {'role':'user','content':'again'}]}""", TO_CHAT);
    assertThat(out.at("/messages/1/role").asText()).isEqualTo("system");
    assertThat(out.at("/messages/1/content").asText()).isEqualTo("answer in French");
    assertThatThrownBy(() -> translate(Dialect.MESSAGES, """
        {'max_tokens':5,'messages':[{'role':'system','content':[{'type':'image','source':{'type':'url','url':'https://x'}}]}]}""",
        TO_CHAT)).hasMessageStartingWith("messages[0].content: a system message holds text only");
  }

  @Test
  void fieldsWithoutACounterpartAreRefusedByName() {
    assertThatThrownBy(() -> translate(Dialect.CHAT_COMPLETIONS, "{'n':2,'messages':[]}", TO_MESSAGES))
        .isInstanceOf(Unsupported.class)
        .hasMessage("n: only 1 is supported when anthropic/claude-sonnet-4-5 is served over the Messages API");
    assertThatThrownBy(() -> translate(Dialect.CHAT_COMPLETIONS, "{'logprobs':true,'messages':[]}", TO_MESSAGES))
        .hasMessageStartingWith("logprobs: not supported when anthropic/claude-sonnet-4-5");
    assertThatThrownBy(() -> translate(Dialect.CHAT_COMPLETIONS,
        "{'response_format':{'type':'json_object'},'messages':[]}", TO_MESSAGES))
        .hasMessageStartingWith("response_format: json_object is not supported");
    assertThatThrownBy(() -> translate(Dialect.CHAT_COMPLETIONS, "{'audio':{'voice':'x'},'messages':[]}", TO_MESSAGES))
        .hasMessageStartingWith("audio: not supported");
    assertThatThrownBy(() -> translate(Dialect.CHAT_COMPLETIONS,
        "{'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}]}", TO_MESSAGES))
        .hasMessageStartingWith("messages[0].content[0].type: content type input_audio is not supported");
    assertThatThrownBy(() -> translate(Dialect.MESSAGES, "{'top_k':5,'max_tokens':1,'messages':[]}", TO_CHAT))
        .hasMessage("top_k: not supported when openai/gpt-4o is served over the Chat Completions API");
    assertThatThrownBy(() -> translate(Dialect.MESSAGES,
        "{'max_tokens':1,'messages':[{'role':'user','content':[{'type':'document','source':{}}]}]}", TO_CHAT))
        .hasMessageStartingWith("messages[0].content[0].type: content type document");
    assertThatThrownBy(() -> translate(Dialect.MESSAGES,
        "{'max_tokens':1,'stop_sequences':['x'],'messages':[]}", TO_RESPONSES))
        .hasMessageStartingWith("stop_sequences: not supported when openai/gpt-5 is served over the Responses API");
    assertThatThrownBy(() -> translate(Dialect.RESPONSES,
        "{'previous_response_id':'resp_1','input':'hi'}", TO_MESSAGES))
        .hasMessageStartingWith("previous_response_id: not supported");
    assertThatThrownBy(() -> translate(Dialect.RESPONSES,
        "{'tools':[{'type':'file_search','vector_store_ids':['vs_1']}],'input':'hi'}", TO_MESSAGES))
        .hasMessageStartingWith("tools[0].type: tool type file_search is not supported");
    assertThatThrownBy(() -> translate(Dialect.RESPONSES,
        "{'tools':[{'type':'web_search'}],'tool_choice':{'type':'web_search'},'input':'hi'}", TO_MESSAGES))
        .isInstanceOf(Unsupported.class);
    assertThatThrownBy(() -> translate(Dialect.MESSAGES, """
        {'max_tokens':1,'messages':[{'role':'user','content':[{'type':'tool_result','tool_use_id':'t',
          'content':[{'type':'image','source':{'type':'url','url':'https://x'}}]}]}]}""", TO_CHAT))
        .hasMessageStartingWith("tool_result.content: images in tool results are not supported");
  }
}
