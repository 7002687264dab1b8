package dev.clawauth.bench;

import dev.clawauth.gateway.translate.Dialect;
import dev.clawauth.gateway.translate.StreamTranslator;
import dev.clawauth.gateway.translate.StreamTranslators;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One streamed answer (500 text deltas, then a tool call whose arguments come in 100 pieces)
 * translated between wires, fed in 1400-byte chunks as a TCP read would deliver it. Run with
 * {@code bench/jmh.sh TranslateBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranslateBenchmarks {
  /** upstream, client, and whether the client streams. */
  @Param({"MESSAGES>CHAT_COMPLETIONS>true", "CHAT_COMPLETIONS>MESSAGES>true", "CHAT_COMPLETIONS>RESPONSES>true",
      "RESPONSES>RESPONSES>false"})
  public String pair;

  private Dialect upstream;
  private Dialect client;
  private boolean streams;
  private byte[] stream;

  @Setup
  public void setUp() {
    String[] p = pair.split(">");
    upstream = Dialect.valueOf(p[0]);
    client = Dialect.valueOf(p[1]);
    streams = Boolean.parseBoolean(p[2]);
    stream = upstream(upstream).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public long translate() {
    StreamTranslator t = StreamTranslators.create(upstream, client, streams, true, "bench-model");
    long out = 0;
    for (int at = 0; at < stream.length; at += 1400) {
      out += t.feed(ByteBuffer.wrap(stream, at, Math.min(1400, stream.length - at))).length;
    }
    return out + t.finish().length;
  }

  /** Bytes of the upstream stream, for turning a time into a rate. */
  public int upstreamBytes() {
    return stream.length;
  }

  private static String upstream(Dialect d) {
    StringBuilder sb = new StringBuilder();
    String piece = "the quick brown fox, ";
    String arg = "\\\"abcdefgh\\\"";
    switch (d) {
      case MESSAGES -> {
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < 500; i++) {
          sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
              .append(piece).append("\"}}\n\n");
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n");
        for (int i = 0; i < 100; i++) {
          sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"")
              .append(arg).append("\"}}\n\n");
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n");
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":700}}\n\n");
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
      }
      case CHAT_COMPLETIONS -> {
        String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":";
        sb.append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < 500; i++) {
          sb.append(head).append("{\"content\":\"").append(piece).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < 100; i++) {
          sb.append(head).append("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"").append(arg).append("\"}}]},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{},\"finish_reason\":\"tool_calls\"}]}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":700,\"total_tokens\":710}}\n\n");
        sb.append("data: [DONE]\n\n");
      }
      case RESPONSES -> {
        sb.append("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"m\",\"output\":[]}}\n\n");
        sb.append("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}\n\n");
        for (int i = 0; i < 500; i++) {
          sb.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":").append(i + 2)
              .append(",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"").append(piece).append("\",\"logprobs\":[]}\n\n");
        }
        sb.append("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":600,\"output_index\":1,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"in_progress\",\"arguments\":\"\",\"call_id\":\"call_1\",\"name\":\"f\"}}\n\n");
        for (int i = 0; i < 100; i++) {
          sb.append("event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":").append(i + 601)
              .append(",\"item_id\":\"fc_1\",\"output_index\":1,\"delta\":\"").append(arg).append("\"}\n\n");
        }
        sb.append("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":800,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"m\",\"output\":[],"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":700,\"total_tokens\":710}}}\n\n");
      }
    }
    return sb.toString();
  }
}
