package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code schema} is its JSON Schema for the arguments. */
public record ToolDef(String name, String description, JsonNode schema, Boolean strict, JsonNode cache) {}
