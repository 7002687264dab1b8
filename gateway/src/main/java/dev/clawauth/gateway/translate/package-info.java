/** Translation between the Anthropic Messages, OpenAI Chat Completions and OpenAI Responses wires. */
package dev.clawauth.gateway.translate;
