package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reads one answer off a raw socket, for tests that write requests byte by byte. */
final class RawAnswer {
  private RawAnswer() {}

  /** One whole response: head and content-length body. */
  static String read(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("connection closed before the answer's head ended: " + head).isNotNegative();
      head.append((char) b);
    }
    int at = head.indexOf("content-length: ");
    int len = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)));
    return head + new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }
}
