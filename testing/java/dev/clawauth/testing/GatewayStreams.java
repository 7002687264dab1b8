package dev.clawauth.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client's view of a gateway being stopped: a stream read line by line, and a port that refuses. */
public final class GatewayStreams {
  private GatewayStreams() {}

  /**
   * Posts a streaming {@code /v1/messages} request to the gateway at {@code url} and reads until
   * the provider's first event ({@code message_start}) has come through; returns the rest.
   */
  public static BufferedReader openMessageStream(String url, String token) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/messages"))
        .header("x-api-key", token).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new AssertionError("the stream was answered " + r.statusCode() + ": "
          + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      if (line.equals("event: message_start")) {
        return in;
      }
    }
    throw new AssertionError("the stream ended before its first event");
  }

  /** The rest of a stream; an IOException when it is cut before its end. */
  public static String readToEnd(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line; (line = in.readLine()) != null;) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /** Waits until a connect to {@code address} is refused. */
  public static void awaitRefused(InetSocketAddress address, Duration limit) throws InterruptedException {
    Await.until("a connect to " + address + " is refused", limit, () -> {
      try (Socket s = new Socket()) {
        s.connect(address, 1_000);
        return false;
      } catch (ConnectException refused) {
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
