package io.streamsight.console.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request on one connection of {@link ConsoleHttpServer}, behind the JDK's {@link HttpExchange}
 * API so the router and handlers do not care which server runs them. Every response ends the
 * connection ({@code Connection: close}): no keep-alive, so an idle connection never holds anything
 * and a page costs one TCP handshake per request (loopback or LAN: negligible for a console). A
 * response sent with length 0 (the live stream) is delimited by the close.
 */
final class SocketExchange extends HttpExchange {
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final SocketChannel channel;
  private final RequestHead head;
  private final byte[] leftover;
  private final int readTimeoutMillis;
  private final OutputStream out;
  private final Runnable onClose;
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private InputStream body;
  private int status = -1;

  SocketExchange(
      SocketChannel channel,
      RequestHead head,
      byte[] leftover,
      int readTimeoutMillis,
      WriteWatchdog watchdog,
      Runnable onClose) {
    this.channel = channel;
    this.head = head;
    this.leftover = leftover;
    this.readTimeoutMillis = readTimeoutMillis;
    this.onClose = onClose;
    OutputStream raw;
    try {
      raw = channel.socket().getOutputStream();
    } catch (IOException e) {
      raw = OutputStream.nullOutputStream(); // closed already: writes go nowhere, close() runs
    }
    this.out = new BufferedOutputStream(watchdog.watch(channel, raw), 16 * 1024);
  }

  @Override
  public Headers getRequestHeaders() {
    return head.headers();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return head.uri();
  }

  @Override
  public String getRequestMethod() {
    return head.method();
  }

  @Override
  public HttpContext getHttpContext() {
    return null; // one handler for everything: the router
  }

  /**
   * The body, at most its {@code Content-Length}; each read waits at most the read timeout. The
   * bytes that came with the head are served first.
   */
  @Override
  public synchronized InputStream getRequestBody() {
    if (body == null) {
      long length = head.contentLength();
      if (length == 0) {
        body = InputStream.nullInputStream();
      } else {
        try {
          if ("100-continue".equalsIgnoreCase(head.headers().getFirst("Expect"))) {
            out.write(CONTINUE);
            out.flush();
          }
          channel.socket().setSoTimeout(readTimeoutMillis);
          InputStream socket = channel.socket().getInputStream();
          body =
              bounded(new SequenceInputStream(new ByteArrayInputStream(leftover), socket), length);
        } catch (IOException e) {
          body = InputStream.nullInputStream();
        }
      }
    }
    return body;
  }

  private static InputStream bounded(InputStream in, long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  @Override
  public OutputStream getResponseBody() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        requireHeaders();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        requireHeaders();
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() {
        SocketExchange.this.close();
      }
    };
  }

  private void requireHeaders() throws IOException {
    if (status < 0) {
      throw new IOException("response headers not sent yet");
    }
  }

  /**
   * Writes the status line and headers. {@code length} > 0: that many bytes follow; -1: none; 0:
   * any number, ended by the close.
   */
  @Override
  public synchronized void sendResponseHeaders(int code, long length) throws IOException {
    if (status >= 0) {
      throw new IllegalStateException("response headers already sent");
    }
    status = code;
    StringBuilder sb = new StringBuilder(256);
    sb.append("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
    for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
      for (String v : h.getValue()) {
        sb.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    if (length > 0) {
      sb.append("Content-Length: ").append(length).append("\r\n");
    } else if (length < 0) {
      sb.append("Content-Length: 0\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (length < 0) {
      out.flush();
    }
  }

  static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 421 -> "Misdirected Request";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** Flushes what is buffered and ends the connection; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      out.flush();
    } catch (IOException ignored) {
      // the client is gone
    } finally {
      abortChannel();
    }
  }

  /**
   * Ends the connection at once from any thread, without flushing (a live stream whose client fell
   * behind: its writer may be blocked in a write this unblocks).
   */
  void abort() {
    closed.set(true);
    abortChannel();
  }

  private void abortChannel() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closed is closed
    }
    onClose.run();
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    try {
      return (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String getProtocol() {
    return head.protocol();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    throw new UnsupportedOperationException("filters are not used by the console");
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
