package io.streamsight.sinks.connect.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving webhook receiver on a raw socket: reads each request (head and body), writes the
 * given bytes (a status line and headers, perhaps part of a body) and then holds the connection
 * open without another byte, until closed. What real HTTP servers cannot be made to do.
 */
final class RawReceiver implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] answer;
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private RawReceiver(byte[] answer) throws IOException {
    this.answer = answer;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "raw-receiver");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers every request with {@code answer} (null: nothing at all), then stalls. */
  static RawReceiver answering(String answer) throws IOException {
    return new RawReceiver(answer == null ? null : answer.getBytes(StandardCharsets.ISO_8859_1));
  }

  static RawReceiver answering(byte[] answer) throws IOException {
    return new RawReceiver(answer);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The request heads received (request line and headers). */
  List<String> heads() {
    return heads;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "raw-receiver-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      heads.add(head);
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(length);
      if (answer != null) {
        s.getOutputStream().write(answer);
        s.getOutputStream().flush();
      }
      // Stall: hold the connection until the client gives up or the test ends.
      while (in.read() >= 0) {
        // discard
      }
    } catch (IOException e) {
      // the client closed: what a stalled exchange should end with
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
