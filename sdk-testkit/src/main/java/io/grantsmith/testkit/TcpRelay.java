package io.grantsmith.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP relay for tests and benchmarks: it listens on {@code 127.0.0.1} on an ephemeral
 * port and forwards every connection to a target host and port, optionally delaying each direction
 * (simulated network latency), cutting a connection after a number of bytes, or stalling (holding
 * all traffic) on demand.
 *
 * <p>A delay is latency, not bandwidth: every chunk of bytes is held for the delay from the moment
 * it was read, so pipelined traffic is not slowed more than once. A round trip through a relay
 * delaying each direction by 1 ms takes about 2 ms more.
 *
 * <pre>{@code
 * try (TcpRelay relay = TcpRelay.to(server.host(), server.port())
 *         .delay(Duration.ofMillis(1))
 *         .start()) {
 *     Connection c = DriverManager.getConnection(
 *             "jdbc:postgresql://" + relay.host() + ":" + relay.port() + "/postgres", user, pw);
 *     ...
 *     relay.stall();                                  // the next query hangs
 *     relay.resume();
 *     relay.cutAfter(TcpRelay.Direction.DOWNSTREAM, 100); // replies stop after 100 bytes
 * }
 * }</pre>
 *
 * <p>Settings can be changed while the relay runs; they apply at once to every connection. The
 * relay uses two daemon threads per connection and direction.
 */
public final class TcpRelay implements AutoCloseable {

  /** A direction of traffic through the relay. */
  public enum Direction {
    /** From the client that connected to the relay to the target. */
    UPSTREAM,
    /** From the target back to the client. */
    DOWNSTREAM
  }

  private static final int BUFFER = 64 * 1024;
  private static final byte[] END = new byte[0];
  private static final long NO_CUT = Long.MAX_VALUE;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final Map<Direction, AtomicLong> delayNanos = new EnumMap<>(Direction.class);
  private final Map<Direction, AtomicLong> cutAfter = new EnumMap<>(Direction.class);
  private final Map<Direction, AtomicLong> forwarded = new EnumMap<>(Direction.class);
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final Object stallMonitor = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  private TcpRelay(Builder b) throws IOException {
    this.targetHost = b.host;
    this.targetPort = b.port;
    for (Direction d : Direction.values()) {
      delayNanos.put(d, new AtomicLong(b.delays.get(d).toNanos()));
      cutAfter.put(d, new AtomicLong(b.cuts.get(d)));
      forwarded.put(d, new AtomicLong());
    }
    this.stalled = b.stalled;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    Thread acceptor = new Thread(this::acceptLoop, "tcp-relay-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts describing a relay to a target.
   *
   * @param host the target host, e.g. {@code server.host()}
   * @param port the target port, 1 to 65535
   * @return a builder; nothing listens until {@link Builder#start()}
   * @throws IllegalArgumentException if the port is out of range
   */
  public static Builder to(String host, int port) {
    return new Builder(host, port);
  }

  /** Describes a relay before it starts. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final Map<Direction, Duration> delays = new EnumMap<>(Direction.class);
    private final Map<Direction, Long> cuts = new EnumMap<>(Direction.class);
    private boolean stalled;

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535: " + port);
      }
      this.port = port;
      for (Direction d : Direction.values()) {
        delays.put(d, Duration.ZERO);
        cuts.put(d, NO_CUT);
      }
    }

    /**
     * Delays both directions by the same duration (default none).
     *
     * @param each the delay of each direction, not negative
     * @return this builder
     */
    public Builder delay(Duration each) {
      for (Direction d : Direction.values()) {
        delay(d, each);
      }
      return this;
    }

    /**
     * Delays one direction (default none).
     *
     * @param direction the direction
     * @param delay the delay, not negative
     * @return this builder
     */
    public Builder delay(Direction direction, Duration delay) {
      delays.put(Objects.requireNonNull(direction, "direction"), checkDelay(delay));
      return this;
    }

    /**
     * Cuts each connection once it has forwarded {@code bytes} bytes in {@code direction} (default
     * never): exactly that many bytes are delivered, then both sides are closed.
     *
     * @param direction the direction counted
     * @param bytes the number of bytes delivered before the cut, not negative
     * @return this builder
     */
    public Builder cutAfter(Direction direction, long bytes) {
      cuts.put(Objects.requireNonNull(direction, "direction"), checkBytes(bytes));
      return this;
    }

    /**
     * Starts stalled: connections are accepted but nothing is forwarded until {@link
     * TcpRelay#resume()} (default off).
     *
     * @param stalled whether to start stalled
     * @return this builder
     */
    public Builder stalled(boolean stalled) {
      this.stalled = stalled;
      return this;
    }

    /**
     * Binds the relay to an ephemeral port on {@code 127.0.0.1} and starts accepting.
     *
     * @return the running relay; close it when done
     * @throws UncheckedIOException if the port cannot be bound
     */
    public TcpRelay start() {
      try {
        return new TcpRelay(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the TCP relay", e);
      }
    }
  }

  /**
   * The host clients connect to: {@code 127.0.0.1}.
   *
   * @return the relay's host
   */
  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  /**
   * The ephemeral port the relay listens on.
   *
   * @return the relay's port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Changes the delay of both directions, at once, for every connection.
   *
   * @param each the delay of each direction, not negative
   * @return this relay
   */
  public TcpRelay delay(Duration each) {
    for (Direction d : Direction.values()) {
      delay(d, each);
    }
    return this;
  }

  /**
   * Changes the delay of one direction, at once, for every connection (bytes already held keep the
   * delay they were read with).
   *
   * @param direction the direction
   * @param delay the delay, not negative
   * @return this relay
   */
  public TcpRelay delay(Direction direction, Duration delay) {
    delayNanos.get(Objects.requireNonNull(direction, "direction")).set(checkDelay(delay).toNanos());
    return this;
  }

  /**
   * Cuts every connection, current and future, once it has forwarded {@code bytes} bytes in {@code
   * direction}, counted from the connection's start. A current connection that has already
   * forwarded that many is cut at its next byte.
   *
   * @param direction the direction counted
   * @param bytes the number of bytes delivered before the cut, not negative
   * @return this relay
   */
  public TcpRelay cutAfter(Direction direction, long bytes) {
    cutAfter.get(Objects.requireNonNull(direction, "direction")).set(checkBytes(bytes));
    return this;
  }

  /**
   * Removes the byte limits of {@link #cutAfter} in both directions.
   *
   * @return this relay
   */
  public TcpRelay noCut() {
    for (AtomicLong limit : cutAfter.values()) {
      limit.set(NO_CUT);
    }
    return this;
  }

  /**
   * Closes every current connection at once (both sides); new connections are still accepted.
   *
   * @return this relay
   */
  public TcpRelay cutAll() {
    for (Link link : links) {
      link.close();
    }
    return this;
  }

  /**
   * Stops forwarding in both directions: connections stay open and bytes are held (the peers see a
   * network that stopped answering) until {@link #resume()}. New connections are accepted but held
   * too.
   *
   * @return this relay
   */
  public TcpRelay stall() {
    stalled = true;
    return this;
  }

  /**
   * Forwards again, held bytes first, after {@link #stall()}.
   *
   * @return this relay
   */
  public TcpRelay resume() {
    synchronized (stallMonitor) {
      stalled = false;
      stallMonitor.notifyAll();
    }
    return this;
  }

  /**
   * Whether the relay is {@linkplain #stall() stalled}.
   *
   * @return true while stalled
   */
  public boolean isStalled() {
    return stalled;
  }

  /**
   * How many connections are open through the relay now.
   *
   * @return the number of open connections
   */
  public int openConnections() {
    return links.size();
  }

  /**
   * How many connections the relay has accepted since it started.
   *
   * @return the number of accepted connections
   */
  public long acceptedConnections() {
    return accepted.get();
  }

  /**
   * How many bytes the relay has delivered in a direction since it started, over all connections.
   *
   * @param direction the direction
   * @return the number of bytes delivered
   */
  public long bytesForwarded(Direction direction) {
    return forwarded.get(Objects.requireNonNull(direction, "direction")).get();
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    cutAll();
    resume();
  }

  /**
   * Describes the relay.
   *
   * @return e.g. {@code TcpRelay[127.0.0.1:40123 -> localhost:5432, delay {UPSTREAM=1000000,...}]}
   */
  @Override
  public String toString() {
    return "TcpRelay["
        + host()
        + ":"
        + port()
        + " -> "
        + targetHost
        + ":"
        + targetPort
        + ", delay ns "
        + delayNanos
        + ", stalled "
        + stalled
        + ", open "
        + links.size()
        + "]";
  }

  private static Duration checkDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return delay;
  }

  private static long checkBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    return bytes;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      Socket server = new Socket();
      try {
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      Link link = new Link(client, server);
      links.add(link);
      link.start();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Nothing to do.
    }
  }

  private void awaitNotStalled() throws InterruptedException {
    if (!stalled) {
      return;
    }
    synchronized (stallMonitor) {
      while (stalled && !closed) {
        stallMonitor.wait(100);
      }
    }
  }

  /** One relayed connection: a client socket, a server socket and two pipes. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean linkClosed;
    private int halfClosed;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      try {
        pipe(Direction.UPSTREAM, client.getInputStream(), server.getOutputStream(), server);
        pipe(Direction.DOWNSTREAM, server.getInputStream(), client.getOutputStream(), client);
      } catch (IOException e) {
        close();
      }
    }

    private void pipe(Direction d, InputStream in, OutputStream out, Socket to) {
      LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
      String name = "tcp-relay-" + port() + "-" + d.name().toLowerCase(java.util.Locale.ROOT);
      Thread reader = new Thread(() -> read(d, in, queue), name + "-read");
      Thread writer = new Thread(() -> write(d, out, to, queue), name + "-write");
      reader.setDaemon(true);
      writer.setDaemon(true);
      reader.start();
      writer.start();
    }

    private void read(Direction d, InputStream in, LinkedBlockingQueue<Chunk> queue) {
      byte[] buf = new byte[BUFFER];
      try {
        while (!linkClosed) {
          int n = in.read(buf);
          long due = System.nanoTime() + delayNanos.get(d).get();
          if (n < 0) {
            queue.add(new Chunk(END, due));
            return;
          }
          queue.add(new Chunk(Arrays.copyOf(buf, n), due));
        }
      } catch (IOException e) {
        close();
      } finally {
        queue.add(new Chunk(END, 0));
      }
    }

    private void write(Direction d, OutputStream out, Socket to, LinkedBlockingQueue<Chunk> queue) {
      long sent = 0;
      try {
        while (!linkClosed) {
          Chunk c = queue.poll(100, TimeUnit.MILLISECONDS);
          if (c == null) {
            continue;
          }
          long wait;
          while ((wait = c.due - System.nanoTime()) > 0 && !linkClosed) {
            LockSupport.parkNanos(wait);
          }
          awaitNotStalled();
          if (linkClosed) {
            return;
          }
          if (c.data == END) {
            halfClose(to);
            return;
          }
          long limit = cutAfter.get(d).get();
          long room = limit - sent;
          int n = (int) Math.min(c.data.length, Math.max(room, 0));
          if (n > 0) {
            // Counted before writing, so that whoever reads the bytes sees them counted.
            forwarded.get(d).addAndGet(n);
            sent += n;
            out.write(c.data, 0, n);
            out.flush();
          }
          if (limit != NO_CUT && sent >= limit) {
            close();
            return;
          }
        }
      } catch (IOException e) {
        close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
      }
    }

    private void halfClose(Socket to) {
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        close();
        return;
      }
      synchronized (this) {
        if (++halfClosed == 2) {
          close();
        }
      }
    }

    void close() {
      if (linkClosed) {
        return;
      }
      linkClosed = true;
      links.remove(this);
      try {
        client.setSoLinger(true, 0);
      } catch (SocketException ignored) {
        // Closed already.
      }
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  /** Bytes read at one time, and when they may be delivered. */
  private static final class Chunk {
    final byte[] data;
    final long due;

    Chunk(byte[] data, long due) {
      this.data = data;
      this.due = due;
    }
  }
}
