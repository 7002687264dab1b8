package dev.clawauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.GatewayAddress;
import dev.clawauth.gateway.GatewaySettings;
import dev.clawauth.gateway.GatewayToken;
import dev.clawauth.state.Environment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "chat", description = {
    "A terminal chat through the running gateway, one line per message; /model commands work",
    "(/model, /model list, /model status, /model <alias>@<profile>, /model default). /exit ends it."})
public final class ChatCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--agent", paramLabel = "<id>", description = "Agent id (default: the config's default agent).")
  String agentId;

  @Option(names = "--model", paramLabel = "<model>", description = "Model id or alias (default: the agent's default model).")
  String model;

  @Option(names = "--url", paramLabel = "<url>", description = "Gateway URL (default: where the running `clawauth gateway` listens, else http://127.0.0.1:<gateway.port>).")
  String url;

  @Override
  public Integer call() throws Exception {
    AgentContext ctx = AgentContext.open(Environment.system(), agentId, Clock.systemUTC());
    ClawConfig config = ctx.config();
    var recorded = url != null ? Optional.<String>empty() : GatewayAddress.recorded(ctx.paths());
    String base = url != null ? url : recorded.isPresent() ? recorded.get()
        : "http://127.0.0.1:" + GatewaySettings.load(ctx.paths(), config).port();
    String from = url != null ? "" : recorded.isPresent() ? ", recorded in " + GatewayAddress.file(ctx.paths())
        : ", the config's gateway.port";
    String token = GatewayToken.loadOrCreate(ctx).value();
    String chosen = model != null ? model : config.defaultModel(ctx.agentId());
    boolean anthropic = ClawConfig.providerOf(config.resolveModel(chosen)).equals("anthropic");
    URI endpoint = URI.create(base + "/agents/" + ctx.agentId()
        + (anthropic ? "/v1/messages" : "/v1/chat/completions"));
    String session = "chat-" + UUID.randomUUID();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ArrayNode history = JSON.createArrayNode();
    out.println("Chatting with " + chosen + " through " + base + " (session " + session + "); /exit to quit.");
    out.flush();
    for (String line; (line = in.readLine()) != null;) {
      String text = line.strip();
      if (text.isEmpty()) {
        continue;
      }
      if (text.equals("/exit") || text.equals("/quit")) {
        break;
      }
      boolean command = text.startsWith("/model");
      ArrayNode messages = command ? JSON.createArrayNode() : history;
      ObjectNode user = messages.addObject();
      user.put("role", "user");
      user.put("content", text);
      ObjectNode body = JSON.createObjectNode();
      body.put("model", chosen);
      body.put("max_tokens", 4096);
      body.set("messages", messages);
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(10))
            .header("content-type", "application/json").header("x-api-key", token)
            .header("authorization", "Bearer " + token).header("anthropic-version", "2023-06-01")
            .header("x-clawauth-session", session)
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        throw new CliException("cannot reach the gateway at " + base + from + " (" + e.getClass().getSimpleName()
            + "). Start it with `clawauth gateway`, or pass --url <url> if it listens elsewhere.");
      }
      JsonNode reply = JSON.readTree(r.body());
      if (r.statusCode() >= 400) {
        if (!command) {
          history.remove(history.size() - 1);
        }
        err.println("Error " + r.statusCode() + ": " + reply.path("error").path("message").asText(r.body()));
        err.flush();
        continue;
      }
      String answer = anthropic ? reply.path("content").path(0).path("text").asText("")
          : reply.path("choices").path(0).path("message").path("content").asText("");
      if (!command) {
        ObjectNode a = history.addObject();
        a.put("role", "assistant");
        a.put("content", answer);
      }
      out.println(answer);
      out.flush();
    }
    return 0;
  }
}
