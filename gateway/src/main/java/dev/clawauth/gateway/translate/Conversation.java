package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A model request in the gateway's pivot shape, the Messages request's: every dialect is read into
 * it and written from it. Null fields were not given. {@code format} is the Responses API's flat
 * {@code text.format} object; {@code reasoningEffort} OpenAI's effort level.
 */
public record Conversation(
    String model,
    List<Block.Text> system,
    List<Turn> turns,
    List<ToolDef> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Long maxTokens,
    Double temperature,
    Double topP,
    List<String> stop,
    boolean stream,
    String user,
    JsonNode format,
    String reasoningEffort) {}
