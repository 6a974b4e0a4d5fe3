package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpRelayTest {

  private ServerSocket echo;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread h =
                      new Thread(
                          () -> {
                            try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                              in.transferTo(out);
                            } catch (IOException ignored) {
                              // The test closed it.
                            }
                          });
                  h.setDaemon(true);
                  h.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopEchoServer() throws IOException {
    echo.close();
  }

  private TcpRelay.Builder relay() {
    return TcpRelay.to(echo.getInetAddress().getHostAddress(), echo.getLocalPort());
  }

  private static Socket connect(TcpRelay relay) throws IOException {
    Socket s = new Socket(relay.host(), relay.port());
    s.setTcpNoDelay(true);
    s.setSoTimeout(5_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
  }

  @Test
  void forwardsBothWaysOnLoopback() throws IOException {
    try (TcpRelay relay = relay().start();
        Socket s = connect(relay)) {
      assertThat(relay.host()).isEqualTo("127.0.0.1");
      assertThat(relay.port()).isPositive();
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "again")).isEqualTo("again");
      assertThat(relay.bytesForwarded(TcpRelay.Direction.UPSTREAM)).isEqualTo(10);
      assertThat(relay.bytesForwarded(TcpRelay.Direction.DOWNSTREAM)).isEqualTo(10);
      assertThat(relay.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void delaysEachDirection() throws IOException {
    // Only a lower bound: held bytes cannot arrive early, however slow the machine. How fast
    // an undelayed relay is belongs to the benchmarks, not to a unit test.
    try (TcpRelay relay = relay().delay(Duration.ofMillis(20)).start();
        Socket s = connect(relay)) {
      roundTrip(s, "warm");
      long start = System.nanoTime();
      assertThat(roundTrip(s, "ping")).isEqualTo("ping");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(40));
      relay.delay(Duration.ZERO);
      String after = "after the delay is removed";
      assertThat(roundTrip(s, after)).isEqualTo(after);
      long sent = ("warm" + "ping" + after).getBytes(StandardCharsets.UTF_8).length;
      assertThat(relay.bytesForwarded(TcpRelay.Direction.UPSTREAM)).isEqualTo(sent);
      assertThat(relay.bytesForwarded(TcpRelay.Direction.DOWNSTREAM)).isEqualTo(sent);
    }
  }

  @Test
  void cutsAfterTheGivenNumberOfBytes() throws IOException {
    try (TcpRelay relay = relay().cutAfter(TcpRelay.Direction.DOWNSTREAM, 3).start();
        Socket s = connect(relay)) {
      s.getOutputStream().write("abcdef".getBytes(StandardCharsets.UTF_8));
      byte[] got = s.getInputStream().readNBytes(6);
      assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("abc");
    } catch (IOException reset) {
      // A reset instead of an orderly end is a cut too.
      assertThat(reset).isNotInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void cutsUpstreamAtRuntime() throws IOException {
    try (TcpRelay relay = relay().start();
        Socket s = connect(relay)) {
      assertThat(roundTrip(s, "ok")).isEqualTo("ok");
      relay.cutAfter(TcpRelay.Direction.UPSTREAM, 2);
      s.getOutputStream().write('x');
      assertThat(readOrMinusOne(s)).isEqualTo(-1);
      relay.noCut();
      try (Socket again = connect(relay)) {
        assertThat(roundTrip(again, "back")).isEqualTo("back");
      }
    }
  }

  @Test
  void stallsAndResumes() throws IOException {
    try (TcpRelay relay = relay().start();
        Socket s = connect(relay)) {
      assertThat(roundTrip(s, "a")).isEqualTo("a");
      relay.stall();
      assertThat(relay.isStalled()).isTrue();
      s.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
      s.setSoTimeout(200);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      relay.resume();
      s.setSoTimeout(5_000);
      assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.UTF_8))
          .isEqualTo("held");
    }
  }

  @Test
  void cutAllAndCloseEndConnections() throws IOException {
    TcpRelay relay = relay().start();
    try (Socket s = connect(relay)) {
      assertThat(roundTrip(s, "x")).isEqualTo("x");
      assertThat(relay.openConnections()).isEqualTo(1);
      relay.cutAll();
      assertThat(readOrMinusOne(s)).isEqualTo(-1);
      assertThat(relay.openConnections()).isZero();
    } finally {
      relay.close();
    }
    relay.close(); // closing twice is harmless
    // Whether the freed port refuses connections is not asserted: another process may take it.
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> TcpRelay.to("localhost", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> relay().delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> relay().cutAfter(TcpRelay.Direction.UPSTREAM, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Reads one byte; a reset counts as the end of the stream. */
  private static int readOrMinusOne(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException reset) {
      return -1;
    }
  }
}
