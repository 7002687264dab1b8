package dev.clawauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --check} verdict of a status document as one line per problem (who, what is wrong,
 * the fix): what {@code models status --check --quiet} and {@code monitor run} print.
 */
final class CheckLines {
  private CheckLines() {}

  static int exitCode(JsonNode status) {
    return status.path("auth").path("check").path("exitCode").asInt(0);
  }

  static List<String> lines(JsonNode status) {
    List<String> lines = new ArrayList<>();
    for (JsonNode pr : status.path("auth").path("check").path("problems")) {
      String who = pr.has("profileId") ? pr.path("profileId").asText() : pr.path("provider").asText();
      lines.add(who + ": " + pr.path("message").asText() + ". Fix: " + pr.path("fix").asText());
    }
    return lines;
  }
}
