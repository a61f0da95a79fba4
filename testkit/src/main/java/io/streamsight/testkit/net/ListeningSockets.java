package io.streamsight.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, read from Linux's {@code /proc}: every LISTEN entry of
 * {@code /proc/self/net/tcp} and {@code tcp6} whose inode is one of this process's open file
 * descriptors ({@code /proc/self/fd}). Sees every server socket whatever library opened it (Kafka,
 * Flink, Netty, Pekko, the JDK), which no Java API can list.
 */
public final class ListeningSockets {
  /** One listening socket: its local address and port. */
  public record Socket(InetAddress address, int port) {
    public boolean loopback() {
      return address.isLoopbackAddress() || mappedLoopback();
    }

    // ::ffff:127.0.0.1 (an IPv4 loopback socket opened through the IPv6 API)
    private boolean mappedLoopback() {
      byte[] b = address.getAddress();
      if (b.length != 16) {
        return false;
      }
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return false;
        }
      }
      return b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
    }

    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port;
    }
  }

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** Whether this platform exposes the files (Linux). */
  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/self/net/tcp")) && Files.isDirectory(fdDir());
  }

  /** This process's listening TCP sockets, IPv4 and IPv6. */
  public static List<Socket> ofThisProcess() {
    Set<String> inodes = socketInodes();
    List<Socket> out = new ArrayList<>();
    out.addAll(read(Path.of("/proc/self/net/tcp"), inodes));
    out.addAll(read(Path.of("/proc/self/net/tcp6"), inodes));
    return out;
  }

  /** The ones not bound to a loopback address (wildcard included). */
  public static List<Socket> notLoopback() {
    return ofThisProcess().stream().filter(s -> !s.loopback()).toList();
  }

  private static Path fdDir() {
    return Path.of("/proc/self/fd");
  }

  private static Set<String> socketInodes() {
    Set<String> out = new HashSet<>();
    try (Stream<Path> fds = Files.list(fdDir())) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            out.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // closed between list and read: not a socket we need
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + fdDir(), e);
    }
    return out;
  }

  private static List<Socket> read(Path table, Set<String> inodes) {
    if (!Files.isReadable(table)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(table);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table, e);
    }
    List<Socket> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) {
        continue;
      }
      String[] local = f[1].split(":");
      out.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16)));
    }
    return out;
  }

  /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
  static InetAddress address(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address " + hex, e);
    }
  }
}
