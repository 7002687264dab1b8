package dev.clawauth.gateway.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A parsed request line and header fields. */
record RequestHead(String method, String target, String path, boolean http11, Headers headers) {
  static final RequestHead NONE = new RequestHead("", "", "", true, new Headers());

  /**
   * Parses a complete head (ending in its blank line): {@code len} bytes at {@code off}.
   *
   * @throws BadRequest for anything a careful server must refuse: a malformed request line,
   *     an unsupported version, a header without a colon, whitespace before a colon, folded lines
   */
  static RequestHead parse(byte[] buf, int off, int len) throws BadRequest {
    return parse(new String(buf, off, len, StandardCharsets.ISO_8859_1));
  }

  private static RequestHead parse(String text) throws BadRequest {
    int pos = 0;
    // RFC 9112 2.2: empty lines before the request line are ignored.
    while (pos < text.length() && (text.charAt(pos) == '\r' || text.charAt(pos) == '\n')) {
      pos++;
    }
    int eol = text.indexOf('\n', pos);
    String line = checked(strip(text, pos, eol));
    int sp1 = line.indexOf(' ');
    int sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1) {
      throw new BadRequest("malformed request line");
    }
    String method = line.substring(0, sp1);
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new BadRequest("unsupported protocol version " + printable(version));
    }
    if (target.isEmpty() || target.indexOf(' ') >= 0) {
      throw new BadRequest("malformed request target");
    }
    Headers headers = new Headers();
    pos = eol + 1;
    while (pos < text.length()) {
      eol = text.indexOf('\n', pos);
      String h = checked(strip(text, pos, eol));
      pos = eol + 1;
      if (h.isEmpty()) {
        break;
      }
      if (h.charAt(0) == ' ' || h.charAt(0) == '\t') {
        throw new BadRequest("folded header lines are not accepted");
      }
      int colon = h.indexOf(':');
      if (colon <= 0 || h.charAt(colon - 1) == ' ' || h.charAt(colon - 1) == '\t') {
        throw new BadRequest("malformed header line");
      }
      // RFC 9110 5.1: a name is a token. "Content-Length\v" is a length to a lenient parser and
      // another header to this one, and the gateway passes unknown headers on upstream.
      if (!Headers.token(h, 0, colon)) {
        throw new BadRequest("malformed header name");
      }
      headers.add(h.substring(0, colon), h.substring(colon + 1).trim());
    }
    return new RequestHead(method, target, path(target), version.equals("HTTP/1.1"), headers);
  }

  /** What can be read from a head that never completed: its request line and whole header lines, if any. */
  static RequestHead partial(byte[] buf, int off, int len) {
    String text = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return NONE;
    }
    try {
      return parse(text.substring(0, end + 1) + "\r\n");
    } catch (BadRequest e) {
      return NONE;
    }
  }

  /**
   * RFC 9112 2.2 and RFC 9110 5.5: a bare CR, a NUL or any other control byte but HTAB in a head is
   * refused, not passed on upstream or into a log to whoever reads it next.
   */
  private static String checked(String line) throws BadRequest {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new BadRequest(c == '\r' ? "a bare CR in the request head"
            : String.format("a control byte 0x%02X in the request head", (int) c));
      }
    }
    return line;
  }

  /**
   * RFC 9112 3.2: exactly one Host field, which HTTP/1.0 may leave out. Two hosts are two answers
   * to "which site", and a proxy in front may have routed on the other one.
   */
  void checkHost() throws BadRequest {
    int hosts = headers.all("host").size();
    if (hosts > 1) {
      throw new BadRequest("several Host header fields");
    }
    if (hosts == 0 && http11) {
      throw new BadRequest("an HTTP/1.1 request without a Host header field");
    }
  }

  private static String strip(String text, int from, int eol) {
    int end = eol < 0 ? text.length() : eol;
    if (end > from && text.charAt(end - 1) == '\r') {
      end--;
    }
    return text.substring(from, end);
  }

  /** The decoded path of an origin-form or absolute-form target, without its query. */
  private static String path(String target) throws BadRequest {
    String t = target;
    if (!t.startsWith("/")) {
      if (t.equals("*")) {
        return "*";
      }
      int scheme = t.indexOf("://");
      if (scheme < 0) {
        throw new BadRequest("malformed request target");
      }
      int slash = t.indexOf('/', scheme + 3);
      t = slash < 0 ? "/" : t.substring(slash);
    }
    int q = t.indexOf('?');
    if (q >= 0) {
      t = t.substring(0, q);
    }
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash);
    }
    if (t.indexOf('%') < 0) {
      return t;
    }
    try {
      return URI.create("http://h" + t).getPath();
    } catch (IllegalArgumentException e) {
      throw new BadRequest("malformed request target");
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 20 ? s.substring(0, 20) : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
