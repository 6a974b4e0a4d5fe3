package io.grantsmith.azure.identity;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The part of the Key Vault secrets REST API that {@link KeyVaultSecretStore} uses, over HTTPS on
 * localhost (okhttp's MockWebServer with a self-signed certificate): the bearer challenge, get
 * secret, set secret (a new version each time) and list versions. It records every request.
 *
 * <p>The store's vault URL is the real {@code https://VAULT.vault.azure.net/}; {@link
 * #httpClient()} is an azure-core client that trusts the certificate and sends each request to this
 * server instead, as a proxy would.
 */
final class FakeKeyVault implements AutoCloseable {
  static final String RESOURCE = "https://vault.azure.net";
  static final String TENANT = "11111111-2222-4333-8444-555555555555";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One recorded request: method, path and query, Authorization header, body. */
  record Request(String method, String target, String authorization, String body) {}

  private final MockWebServer server = new MockWebServer();
  private final HeldCertificate certificate =
      new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
  private final String vaultName;
  private final Map<String, List<ObjectNode>> secrets = new LinkedHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile boolean refuseWrites;

  FakeKeyVault(String vaultName) throws IOException {
    this.vaultName = vaultName;
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(certificate)
            .build()
            .sslSocketFactory());
    server.setProtocols(List.of(Protocol.HTTP_1_1));
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return handle(r);
          }
        });
    server.start();
  }

  String vaultUrl() {
    return "https://" + vaultName + ".vault.azure.net/";
  }

  /** An azure-core HTTP client that trusts this server's certificate and sends everything here. */
  HttpClient httpClient() {
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
    HttpClient jdk =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(trust.sslContext()))
            .build();
    return request -> {
      URL original = request.getUrl();
      try {
        URL local = new URL("https", "localhost", server.getPort(), original.getFile());
        return jdk.send(request.copy().setUrl(local));
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Adds a version of a secret, as an operator would have. */
  synchronized void seed(String name, String value, String username) {
    ObjectNode body = JSON.createObjectNode();
    body.put("value", value);
    body.putObject("tags").put(KeyVaultSecretStore.USERNAME_TAG, username);
    addVersion(name, body);
  }

  void refuseWrites(boolean refuse) {
    this.refuseWrites = refuse;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The bodies of the PUTs (set secret) received so far. */
  List<JsonNode> writes() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals("PUT") && r.authorization() != null) {
        out.add(JSON.readTree(r.body()));
      }
    }
    return out;
  }

  synchronized int versionCount(String name) {
    return secrets.getOrDefault(name, List.of()).size();
  }

  private synchronized MockResponse handle(RecordedRequest r) {
    String auth = r.getHeaders().get("Authorization");
    String body = r.getBody() == null ? "" : r.getBody().utf8();
    requests.add(new Request(r.getMethod(), r.getTarget(), auth, body));
    if (auth == null || !auth.startsWith("Bearer ")) {
      return new MockResponse.Builder()
          .code(401)
          .addHeader(
              "WWW-Authenticate",
              "Bearer authorization=\"https://login.microsoftonline.com/"
                  + TENANT
                  + "\", resource=\""
                  + RESOURCE
                  + "\"")
          .build();
    }
    List<String> path = List.of(r.getUrl().encodedPath().replaceAll("^/|/$", "").split("/"));
    try {
      if (path.size() >= 2 && path.get(0).equals("secrets")) {
        String name = path.get(1);
        if (r.getMethod().equals("PUT") && path.size() == 2) {
          if (refuseWrites) {
            return error(403, "Forbidden", "The vault refuses writes");
          }
          ObjectNode in = (ObjectNode) JSON.readTree(body);
          return json(200, addVersion(name, in));
        }
        List<ObjectNode> versions = secrets.get(name);
        if (versions == null) {
          return error(404, "SecretNotFound", "A secret with (name) " + name + " was not found");
        }
        if (r.getMethod().equals("GET") && path.size() == 3 && path.get(2).equals("versions")) {
          ObjectNode out = JSON.createObjectNode();
          ArrayNode value = out.putArray("value");
          for (ObjectNode v : versions) {
            ObjectNode item = value.addObject();
            item.put("id", v.get("id").asText());
            item.set("attributes", v.get("attributes"));
          }
          out.putNull("nextLink");
          return json(200, out);
        }
        if (r.getMethod().equals("GET")) {
          return json(200, versions.get(versions.size() - 1));
        }
      }
      return error(400, "BadRequest", "not emulated: " + r.getMethod() + " " + r.getTarget());
    } catch (IOException e) {
      return error(400, "BadParameter", "bad JSON");
    }
  }

  private ObjectNode addVersion(String name, ObjectNode in) {
    String version = UUID.randomUUID().toString().replace("-", "");
    ObjectNode stored = in.deepCopy();
    stored.put("id", vaultUrl() + "secrets/" + name + "/" + version);
    ObjectNode attributes = stored.putObject("attributes");
    long now = System.currentTimeMillis() / 1000;
    attributes.put("enabled", true).put("created", now).put("updated", now);
    secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(stored);
    return stored;
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body.toString())
        .build();
  }

  private static MockResponse error(int code, String errorCode, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error").put("code", errorCode).put("message", message);
    return json(code, out);
  }

  @Override
  public void close() {
    server.close();
  }
}
