package io.grantsmith.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate for TLS tests, made with the JDK's {@code keytool} (always present
 * with a JDK) and written as PEM files that PostgreSQL and pgjdbc read: {@code cert.pem} for {@code
 * ssl_cert_file}, a PKCS#8 {@code key.pem} (mode 600) for {@code ssl_key_file} and a {@code
 * root.crt} for pgjdbc's {@code sslrootcert}. The certificate is its own CA.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.selfSigned("localhost", List.of("localhost"),
 *         List.of("127.0.0.1"));
 * props.setProperty("sslmode", "verify-full");
 * props.setProperty("sslrootcert", certs.rootCertificate().toString());
 * }</pre>
 */
public final class TestCertificates {
  private static final char[] STORE_PASSWORD = "grantsmith-test".toCharArray();
  private static final String ALIAS = "server";

  private final String commonName;
  private final Path directory;

  private TestCertificates(String commonName, Path directory) {
    this.commonName = commonName;
    this.directory = directory;
  }

  /**
   * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, valid for the embedded
   * servers.
   *
   * @return the certificate files
   * @throws IllegalStateException if {@code keytool} fails
   */
  public static TestCertificates localhost() {
    return selfSigned("localhost", List.of("localhost"), List.of("127.0.0.1", "::1"));
  }

  /**
   * Makes a self-signed certificate in a new temporary directory.
   *
   * @param commonName the subject's CN, e.g. {@code localhost}
   * @param dnsNames DNS names of the subject alternative name extension, may be empty
   * @param ipAddresses IP addresses of the subject alternative name extension, may be empty
   * @return the certificate files
   * @throws IllegalArgumentException if the common name is blank or holds a comma
   * @throws IllegalStateException if {@code keytool} fails
   */
  public static TestCertificates selfSigned(
      String commonName, List<String> dnsNames, List<String> ipAddresses) {
    Objects.requireNonNull(commonName, "commonName");
    if (commonName.isBlank() || commonName.contains(",")) {
      throw new IllegalArgumentException(
          "commonName must not be blank or hold a comma: " + commonName);
    }
    try {
      Path dir = Files.createTempDirectory("grantsmith-tls-");
      Path store = dir.resolve("server.p12");
      List<String> san = new ArrayList<>();
      dnsNames.forEach(d -> san.add("dns:" + d));
      ipAddresses.forEach(ip -> san.add("ip:" + ip));
      List<String> command =
          new ArrayList<>(
              List.of(
                  keytool(),
                  "-genkeypair",
                  "-alias",
                  ALIAS,
                  "-keyalg",
                  "RSA",
                  "-keysize",
                  "2048",
                  "-validity",
                  "30",
                  "-dname",
                  "CN=" + commonName,
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  new String(STORE_PASSWORD),
                  "-keypass",
                  new String(STORE_PASSWORD)));
      if (!san.isEmpty()) {
        command.add("-ext");
        command.add("SAN=" + String.join(",", san));
      }
      run(command);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, STORE_PASSWORD);
      }
      Key key = ks.getKey(ALIAS, STORE_PASSWORD);
      Certificate cert = ks.getCertificate(ALIAS);
      if (!(key instanceof PrivateKey) || !"PKCS#8".equals(key.getFormat())) {
        throw new IllegalStateException("keytool made no PKCS#8 private key: " + key);
      }
      String certPem = pem("CERTIFICATE", cert.getEncoded());
      Files.writeString(dir.resolve("cert.pem"), certPem, StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("root.crt"), certPem, StandardCharsets.US_ASCII);
      Path keyFile = dir.resolve("key.pem");
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: PostgreSQL does not check the key file's mode there.
      }
      Files.delete(store);
      return new TestCertificates(commonName, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the test certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read the test certificate made by keytool", e);
    }
  }

  private static String keytool() {
    String exe =
        System.getProperty("os.name", "").toLowerCase().contains("win") ? "keytool.exe" : "keytool";
    return Path.of(System.getProperty("java.home"), "bin", exe).toString();
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while keytool ran", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * Returns the subject's common name.
   *
   * @return the CN
   */
  public String commonName() {
    return commonName;
  }

  /**
   * Returns the directory holding the files.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the certificate in PEM, for PostgreSQL's {@code ssl_cert_file}.
   *
   * @return the path of {@code cert.pem}
   */
  public Path certificate() {
    return directory.resolve("cert.pem");
  }

  /**
   * Returns the unencrypted PKCS#8 private key in PEM (mode 600), for PostgreSQL's {@code
   * ssl_key_file}.
   *
   * @return the path of {@code key.pem}
   */
  public Path privateKey() {
    return directory.resolve("key.pem");
  }

  /**
   * Returns the trusted root (the self-signed certificate itself), for pgjdbc's {@code
   * sslrootcert}.
   *
   * @return the path of {@code root.crt}
   */
  public Path rootCertificate() {
    return directory.resolve("root.crt");
  }

  /**
   * Describes the certificate.
   *
   * @return the CN and the directory
   */
  @Override
  public String toString() {
    return "TestCertificates[CN=" + commonName + ", " + directory + "]";
  }
}
