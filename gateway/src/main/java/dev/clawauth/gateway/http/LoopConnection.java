package dev.clawauth.gateway.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection on an event loop: reads requests as their bytes arrive, hands each
 * complete one to the handler, writes the answers as the socket takes them, and goes on to the
 * next request (keep-alive, pipelining) or closes. Everything runs on the loop's thread.
 *
 * <p>Deadlines are kept as a number checked by the server's periodic sweep ({@link #tick}),
 * not as a timer per request.
 */
final class LoopConnection implements EventLoop.Io {
  /** Between requests, waiting for the next one's first byte (idle deadline). */
  private static final int IDLE = 0;
  /** A request's head or body is arriving (read deadline). */
  private static final int READING = 1;
  /** A request is being answered: no deadline from the server. */
  private static final int ANSWERING = 2;
  /** Output shut down after a last answer; reading what the client still sends before the close. */
  private static final int LINGER = 3;
  private static final int CLOSED = 4;

  private final LoopServer server;
  private final LoopServer.Shard shard;
  private final SocketChannel ch;
  private final InetSocketAddress remote;
  /** Beyond the connection limit: it gets a 503 for its first request. */
  private final boolean over;
  /** Its place among the unauthenticated; null without admission control, or when over the limit. */
  private final Admission.Ticket<LoopServer.Seat> ticket;
  /** One of its requests passed the handler's credential check (always, without admission control). */
  private boolean authenticated;
  /** {@code System.nanoTime()} by which an unauthenticated connection's next head must be complete; 0 for none. */
  private long headBy;
  private final RequestReader reader;
  private final OutQueue out;
  private final Runnable drive = this::drive;
  private final SelectionKey key;
  private int ops;
  /** Index in the shard's list of connections. */
  int slot;
  private int state = IDLE;
  /** {@code System.nanoTime()} at which the state's deadline passes; 0 for none. */
  private long deadline;
  /** When the request being read must be whole by readTimeoutMs, before any head deadline cut it short. */
  private long readBy;
  private boolean inputEnded;
  /** Handler code is on the stack below: it returns to {@link #drive}, which carries on. */
  private boolean inUser;
  private LoopExchange current;
  /** The request whose head was admitted and whose body is arriving; it becomes {@link #current}. */
  private LoopExchange admitted;
  private long lingerLeft;
  /** {@code System.nanoTime()} since which queued output has waited for the client to take any; 0 when none waits. */
  private long stalledSince;

  LoopConnection(LoopServer server, LoopServer.Shard shard, SocketChannel ch, boolean over, LoopServer.Seat seat)
      throws IOException {
    this.server = server;
    this.shard = shard;
    this.ch = ch;
    this.over = over;
    this.ticket = seat == null ? null : seat.ticket;
    this.authenticated = server.seats() == null;
    this.remote = (InetSocketAddress) ch.getRemoteAddress();
    this.reader = new RequestReader(server.limits().maxHeadBytes(), server.limits().maxBodyBytes(), server.bodies());
    this.out = shard.takeQueue();
    this.key = shard.loop.register(ch, SelectionKey.OP_READ, this);
    this.ops = SelectionKey.OP_READ;
    this.deadline = System.nanoTime() + idleMillis() * 1_000_000;
    awaitHead();
  }

  InetSocketAddress remote() {
    return remote;
  }

  BodyBudget bodies() {
    return server.bodies();
  }

  EventLoop loop() {
    return shard.loop;
  }

  boolean closed() {
    return state == CLOSED;
  }

  boolean authenticated() {
    return authenticated;
  }

  /** A request is arriving or being answered. */
  boolean busy() {
    return state == READING || state == ANSWERING;
  }

  /**
   * The server stops: an idle connection closes, after handling a request its client already
   * sent; one with a request in progress is told to close after its answer. Returns {@link #busy}.
   */
  boolean drain() {
    readWaiting();
    // A head still arriving on a connection that never showed the token is no request yet: waiting
    // for it would let connections that trickle bytes hold the stop up for the whole grace.
    if (state == IDLE || (state == READING && !authenticated && admitted == null)) {
      close();
      return false;
    }
    if (state == ANSWERING && current != null) {
      current.closeAfter();
    }
    return busy();
  }

  /** An unauthenticated connection waits for a head: it must be complete within the head timeout from now. */
  private void awaitHead() {
    if (ticket == null || authenticated) {
      return;
    }
    headBy = System.nanoTime() + server.limits().headTimeoutMs() * 1_000_000;
    if (deadline == 0 || deadline - headBy > 0) {
      deadline = headBy;
    }
  }

  /** The head arrived: an unauthenticated connection is being answered, not waiting. */
  private void headArrived() {
    if (headBy != 0) {
      headBy = 0;
      server.seats().busy(ticket, true);
    }
  }

  /** The output queue, or null once the connection is closed. */
  OutQueue queue() {
    return state == CLOSED ? null : out;
  }

  long queued() {
    return state == CLOSED ? 0 : out.size();
  }

  @Override
  public void ready(SelectionKey k) {
    int ready = k.readyOps();
    if ((ready & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
      write();
    }
    if ((ready & SelectionKey.OP_READ) != 0 && state != CLOSED) {
      read();
    }
    drive();
  }

  /** Reads and handles what the socket holds now, as a readable event would, before an eviction. */
  void readWaiting() {
    if (state == IDLE || state == READING) {
      read();
      drive();
    }
  }

  @Override
  public void failed(Throwable t) {
    server.log().println("gateway: connection from " + remote + " failed: " + t);
    close();
  }

  private void read() {
    ByteBuffer room = reader.room(state == ANSWERING);
    if (room == null) {
      return;
    }
    int n;
    try {
      n = ch.read(room);
    } catch (IOException reset) {
      close();
      return;
    }
    if (n < 0) {
      inputEnded = true;
      if (state == LINGER) {
        close();
      }
      return;
    }
    if (state == LINGER) {
      lingerLeft -= n;
      reader.clear();
      if (lingerLeft <= 0) {
        close();
      }
      return;
    }
    reader.filled(n);
  }

  private void write() {
    long before = out.size();
    try {
      out.writeTo(ch);
    } catch (IOException gone) {
      close();
      return;
    }
    long left = out.size();
    if (left == 0) {
      stalledSince = 0;
    } else if (left < before || stalledSince == 0) {
      stalledSince = System.nanoTime();
    }
  }

  /** Attempts to write what is queued; the rest waits for the socket to become writable. */
  void flush() {
    if (state == CLOSED || state == LINGER) {
      return;
    }
    write();
    if (state == CLOSED) {
      return;
    }
    if (!inUser && out.size() == 0 && current != null && (current.ended() || current.awaitsDrain())) {
      // Called from a callback of the handler's own: carry on once it has returned.
      shard.loop.execute(drive);
    }
    interest();
  }

  /** The exchange's response is complete. */
  void ended(LoopExchange ex) {
    if (ex == current) {
      flush();
    }
  }

  /**
   * Moves the connection on as far as it can go now: drained callbacks, the next request, the
   * close. Runs from the loop only, never under handler code.
   */
  private void drive() {
    if (inUser) {
      return;
    }
    while (state == IDLE || state == READING || state == ANSWERING) {
      if (state == ANSWERING) {
        if (out.size() > 0) {
          break;
        }
        LoopExchange ex = current;
        if (ex.awaitsDrain()) {
          callback(ex);
        } else if (ex.ended()) {
          finish();
        } else {
          break;
        }
      } else if (!step()) {
        break;
      }
    }
    interest();
  }

  /** Parses what is buffered one step; false when it needs more input. */
  private boolean step() {
    if (state == IDLE) {
      if (reader.buffered() == 0) {
        if (inputEnded) {
          close();
        }
        return false;
      }
      state = READING;
      readBy = System.nanoTime() + readMillis() * 1_000_000;
      deadline = readBy;
      if (headBy != 0 && deadline - headBy > 0) {
        deadline = headBy;
      }
    }
    int r;
    try {
      r = reader.parse();
    } catch (RequestReader.Refused refused) {
      refuse(refused.status, refused.getMessage(), refused.head,
          refused.budgetSpent ? Admission.Reason.BODY_BUDGET : reason(refused.status));
      return true;
    }
    if (r == RequestReader.NEED_MORE) {
      if (inputEnded) {
        // The client closed in the middle of a request: nothing to answer.
        close();
      }
      return false;
    }
    if (r == RequestReader.HEAD) {
      LoopExchange ex = new LoopExchange(this, reader.head());
      LoopHandler.Refusal no;
      if (over) {
        refuse(ex, 503, overLimit());
      } else if ((no = admission(ex)) != null) {
        refuse(ex, no.status(), no.message());
      } else if (ex.passedCheck() && !authenticate()) {
        refuse(ex, 503, overLimit());
      } else {
        headArrived();
        admitted = ex;
        if (reader.awaitingBody() && expectsContinue(reader.head())) {
          out.ascii("HTTP/1.1 100 Continue\r\n\r\n");
          write();
        }
      }
      return true;
    }
    dispatch();
    return true;
  }

  private String overLimit() {
    return "The gateway has its limit of " + server.limits().maxConnections() + " open connections; retry shortly.";
  }

  /** The handler found the credential on this connection's request: it leaves the unauthenticated share. */
  private boolean authenticate() {
    if (authenticated) {
      return true;
    }
    if (!server.seats().authenticate(ticket)) {
      return false;
    }
    authenticated = true;
    headBy = 0;
    // The head deadline of a connection without the token no longer bounds the body it now sends.
    if (state == READING) {
      deadline = readBy;
    }
    return true;
  }

  private LoopHandler.Refusal admission(LoopExchange ex) {
    inUser = true;
    try {
      return server.handler().admit(ex);
    } catch (RuntimeException e) {
      server.log().println("gateway: admitting a request from " + remote + " failed: " + e);
      return new LoopHandler.Refusal(500, "The request could not be admitted.");
    } finally {
      inUser = false;
    }
  }

  /** RFC 9110 10.1.1: an HTTP/1.0 client's 100-continue expectation is ignored. */
  private static boolean expectsContinue(RequestHead head) {
    return head.http11() && head.headers().hasToken("expect", "100-continue");
  }

  private void dispatch() {
    LoopExchange ex = admitted;
    admitted = null;
    ex.body(reader.body(), reader.takeReserved());
    reader.next();
    begin(ex);
    inUser = true;
    try {
      server.handler().handle(ex);
    } catch (BadRequest bad) {
      if (ex.headersSent()) {
        // Ending the body normally would pass a failed answer off as complete.
        ex.abort();
      } else {
        ex.closeAfter();
        answerRefusal(ex, 400, "Malformed HTTP request: " + bad.getMessage() + ".");
      }
    } catch (Exception | Error e) {
      failAnswer(ex);
    } finally {
      inUser = false;
    }
  }

  /** Handler code failed: a bare 500 if nothing was sent, else the connection closes mid-answer. */
  private static void failAnswer(LoopExchange ex) {
    if (ex.headersSent()) {
      // Part of an answer is out; the client can only learn of the failure by the connection closing.
      ex.abort();
    } else {
      ex.end();
    }
  }

  /** Answers a request the server turns away itself; the connection closes after. */
  private void refuse(int status, String message, RequestHead head, Admission.Reason why) {
    admitted = null;
    refuse(new LoopExchange(this, head), status, message, why);
  }

  private void refuse(LoopExchange ex, int status, String message) {
    refuse(ex, status, message, reason(status));
  }

  private void refuse(LoopExchange ex, int status, String message, Admission.Reason why) {
    Admission<LoopServer.Seat> seats = server.seats();
    if (!authenticated && seats != null) {
      if (ticket != null) {
        // One over the limit was counted when it was accepted.
        seats.refused(ticket.source(), why);
      }
      ex.summarised(!seats.sample());
    }
    // The body will not be read: its share of the budget is free at once, not after the linger.
    reader.dropBody();
    ex.closeAfter();
    begin(ex);
    inUser = true;
    try {
      answerRefusal(ex, status, message);
    } finally {
      inUser = false;
    }
  }

  private static Admission.Reason reason(int status) {
    return switch (status) {
      case 401, 403 -> Admission.Reason.NO_TOKEN;
      case 408 -> Admission.Reason.HEAD_TIMEOUT;
      case 503 -> Admission.Reason.OVER_LIMIT;
      default -> Admission.Reason.MALFORMED;
    };
  }

  private void answerRefusal(LoopExchange ex, int status, String message) {
    try {
      server.handler().refuse(ex, status, message);
    } catch (IOException | RuntimeException e) {
      // the client is gone, or the answer failed: end() closes with whatever was sent
    }
    ex.end();
  }

  private void begin(LoopExchange ex) {
    if (server.draining()) {
      ex.closeAfter();
    }
    current = ex;
    state = ANSWERING;
    deadline = 0;
    headBy = 0;
  }

  /** Runs the exchange's drained callbacks; one that throws fails the answer. */
  private void callback(LoopExchange ex) {
    inUser = true;
    try {
      ex.runDrained();
    } catch (RuntimeException | Error e) {
      failAnswer(ex);
    } finally {
      inUser = false;
    }
  }

  /** The answer is out: on to the next request, or the close. */
  private void finish() {
    LoopExchange ex = current;
    current = null;
    if (!ex.keepsConnection() || server.draining()) {
      linger();
      return;
    }
    state = IDLE;
    deadline = System.nanoTime() + idleMillis() * 1_000_000;
    if (ticket != null && !authenticated) {
      server.seats().busy(ticket, false);
      awaitHead();
    }
  }

  /**
   * Sends the end of the stream and reads what the client still sends, for a while, before
   * closing: closing with unread bytes makes the kernel send a reset, which can destroy the
   * answer before the client reads it.
   */
  private void linger() {
    if (inputEnded) {
      close();
      return;
    }
    try {
      ch.shutdownOutput();
    } catch (IOException gone) {
      close();
      return;
    }
    state = LINGER;
    shard.settle();
    deadline = System.nanoTime() + LoopServer.LINGER_MS * 1_000_000;
    lingerLeft = LoopServer.LINGER_BYTES - (long) reader.buffered();
    reader.clear();
    if (lingerLeft <= 0) {
      close();
    }
  }

  /** The sweep: acts on a deadline that has passed. */
  void tick(long now) {
    if (state == ANSWERING && stalledSince != 0 && now - stalledSince - idleMillis() * 1_000_000 >= 0) {
      // A client that takes none of its answer for as long as an idle connection is kept is gone:
      // without this it would hold the answer (an upstream call paused for it, a concurrency
      // permit) until it closed the connection itself.
      close();
      return;
    }
    if (deadline == 0 || now - deadline < 0) {
      return;
    }
    deadline = 0;
    boolean headLate = headBy != 0 && now - headBy >= 0;
    switch (state) {
      case READING -> {
        String what = reader.inBody() ? "body" : "head";
        refuse(408, headLate ? "A connection without the token must send a complete request head within "
            + server.limits().headTimeoutMs() + " ms." : "The request " + what + " did not arrive within "
            + server.limits().readTimeoutMs() + " ms.", reader.partialHead(), Admission.Reason.HEAD_TIMEOUT);
        drive();
      }
      case IDLE -> {
        if (headLate) {
          // Nothing to answer; counted for the summary only.
          server.seats().refused(ticket.source(), Admission.Reason.HEAD_TIMEOUT);
        }
        close();
      }
      case LINGER -> close();
      default -> {
        // answering: the handler's time is its own
      }
    }
  }

  private void interest() {
    if (state == CLOSED) {
      return;
    }
    int want = 0;
    if (!inputEnded && !(state == ANSWERING && reader.full())) {
      want |= SelectionKey.OP_READ;
    }
    if (state != LINGER && out.size() > 0) {
      want |= SelectionKey.OP_WRITE;
    }
    if (want != ops) {
      key.interestOps(want);
      ops = want;
    }
  }

  private long idleMillis() {
    long idle = server.limits().idleTimeoutMs();
    return over ? Math.min(idle, LoopServer.OVER_LIMIT_MS) : idle;
  }

  private long readMillis() {
    long read = server.limits().readTimeoutMs();
    return over ? Math.min(read, LoopServer.OVER_LIMIT_MS) : read;
  }

  /** Closes the connection now; an answer in progress learns of it through its onClosed callbacks. */
  void close() {
    if (state == CLOSED) {
      return;
    }
    state = CLOSED;
    key.cancel();
    try {
      ch.close();
    } catch (IOException ignored) {
      // closed anyway
    }
    shard.closed(this, out);
    shard.settle();
    if (ticket != null) {
      server.seats().closed(ticket);
    }
    reader.dropBody();
    LoopExchange ex = current;
    current = null;
    if (ex != null) {
      ex.releaseBody();
    }
    if (ex != null && !ex.ended()) {
      try {
        ex.runClosed();
      } catch (RuntimeException e) {
        server.log().println("gateway: an onClosed callback failed: " + e);
      }
    }
  }
}
