package dev.clawauth.gateway.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A test client on a plain socket: it writes exactly the bytes a test gives and parses responses
 * itself, independently of the server's code, keeping the raw bytes for framing assertions.
 */
final class RawClient implements AutoCloseable {
  /** A response as received; {@code rawBody} is the body with its framing (chunk lines), {@code body} without. */
  record Response(int status, String head, Map<String, List<String>> headers, byte[] rawBody, byte[] body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String rawText() {
      return new String(rawBody, StandardCharsets.ISO_8859_1);
    }
  }

  private static final int TIMEOUT_MS = 3_000;
  final Socket socket;
  private final BufferedInputStream in;
  private final OutputStream out;

  RawClient(InetSocketAddress server) throws IOException {
    this(server, 0);
  }

  /** {@code receiveBuffer}: the socket's receive buffer in bytes, fixed before connecting; 0 for the default. */
  RawClient(InetSocketAddress server, int receiveBuffer) throws IOException {
    socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(server, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  RawClient send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** One line without its CRLF. */
  String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + b.size() + " bytes of a line: " + b);
      }
      if (c == '\n') {
        byte[] l = b.toByteArray();
        int n = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
        return new String(l, 0, n, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
  }

  byte[] bytes(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("connection closed after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  Response response() throws IOException {
    return response(false);
  }

  /** Reads one response; {@code toHead}: it answers a HEAD request, so it has no body. */
  Response response(boolean toHead) throws IOException {
    StringBuilder head = new StringBuilder();
    String statusLine = line();
    head.append(statusLine).append("\r\n");
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].equals("HTTP/1.1")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h; !(h = line()).isEmpty();) {
      head.append(h).append("\r\n");
      int colon = h.indexOf(':');
      headers.computeIfAbsent(h.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<String> te = headers.get("transfer-encoding");
    List<String> cl = headers.get("content-length");
    if (toHead || status < 200 || status == 204 || status == 304) {
      // no body
    } else if (te != null) {
      while (true) {
        String size = line();
        raw.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
        if (n == 0) {
          for (String t; !(t = line()).isEmpty();) {
            raw.writeBytes((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          raw.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          break;
        }
        byte[] data = bytes(n);
        body.writeBytes(data);
        raw.writeBytes(data);
        raw.writeBytes(bytes(2));
      }
    } else if (cl != null) {
      byte[] data = bytes(Integer.parseInt(cl.get(0)));
      body.writeBytes(data);
      raw.writeBytes(data);
    } else {
      byte[] data = rest();
      body.writeBytes(data);
      raw.writeBytes(data);
    }
    return new Response(status, head.toString(), headers, raw.toByteArray(), body.toByteArray());
  }

  /** Everything until the server closes the connection (a reset after the data counts as closing). */
  byte[] rest() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0;) {
        b.write(buf, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw stillOpen;
    } catch (SocketException reset) {
      // The server closed with unread request bytes: a reset, which also ends the connection.
    }
    return b.toByteArray();
  }

  /** True when the server has closed the connection with nothing more to read (fails on a timeout). */
  boolean closedByServer() throws IOException {
    return rest().length == 0;
  }

  /** True when nothing arrives for {@code millis} (the connection stays open and nothing is consumed). */
  boolean silentFor(int millis) throws IOException {
    socket.setSoTimeout(millis);
    in.mark(1);
    try {
      in.read();
      in.reset();
      return false;
    } catch (SocketTimeoutException quiet) {
      return true;
    } finally {
      socket.setSoTimeout(TIMEOUT_MS);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
