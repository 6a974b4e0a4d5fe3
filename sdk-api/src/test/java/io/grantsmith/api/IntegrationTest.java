package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.integration;
import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegrationTest {

  @Test
  void minimalIntegrationHasTheDocumentedDefaults() {
    Integration i = integration().build();

    assertThat(i.port()).isEqualTo(5432);
    assertThat(i.database()).isEqualTo("postgres");
    assertThat(i.sslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(i.maxAccessDuration()).isEqualTo(Duration.ofDays(7));
    assertThat(i.connectorId()).isEmpty();
    assertThat(i.connectorSecret()).isEmpty();
    assertThat(i.resourceTypes()).isEmpty();
    assertThat(i.credentialRotationDays()).isEmpty();
    assertThat(i.userCleanupAfterDays()).isEmpty();
    assertThat(i.customAccessDetails()).isEmpty();
    assertThat(i.integrationOwners()).isEmpty();
    assertThat(i.resourceOwners()).isEmpty();
  }

  @Test
  void everyAttributeCanBeSetAndIsCopiedByFrom() {
    Integration i =
        integration()
            .port(6432)
            .database("orders")
            .sslMode(SslMode.VERIFY_FULL)
            .connectorId("connector-7")
            .connectorSecret(SecretRef.environment("GRANTSMITH_PASSWORD"))
            .addResourceTypes(ResourceKind.DATABASE, ResourceKind.SCHEMA)
            .credentialRotationDays(30)
            .userCleanupAfterDays(7)
            .customAccessDetails("Connect through the bastion.")
            .addIntegrationOwner(IntegrationOwner.of("okta group", "dba-team"))
            .addResourceOwner(ResourceOwner.of("owner", "okta user"))
            .maxAccessDuration(Duration.ofHours(8))
            .build();

    assertThat(i.port()).isEqualTo(6432);
    assertThat(i.database()).isEqualTo("orders");
    assertThat(i.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(i.connectorId()).hasValue("connector-7");
    assertThat(i.resourceTypes()).containsExactly(ResourceKind.DATABASE, ResourceKind.SCHEMA);
    assertThat(i.credentialRotationDays()).hasValue(30);
    assertThat(i.userCleanupAfterDays()).hasValue(7);
    assertThat(i.maxAccessDuration()).isEqualTo(Duration.ofHours(8));
    assertThat(Integration.builder().from(i).build()).isEqualTo(i);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "orders-prod",
        "Orders_Prod_2",
        "x-_-y",
        // 64 characters, the longest name
        "a123456789012345678901234567890123456789012345678901234567890123"
      })
  void nameOfLettersDigitsHyphensAndUnderscoresIsAccepted(String name) {
    assertThat(integration().name(name).build().name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1orders",
        "-orders",
        "_orders",
        "orders prod",
        "orders.prod",
        "örders",
        "orders/prod",
        "orders\n",
        // 65 characters
        "a1234567890123456789012345678901234567890123456789012345678901234"
      })
  void nameThatBreaksThePatternOrIsLongerThan64IsRejected(String name) {
    assertRejects(() -> integration().name(name).build(), "Integration.name", name)
        .hasMessageContaining("at most 64");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orders-prod.postgres.database.azure.com",
        "localhost",
        "db",
        "DB-1",
        "example.com.",
        "10.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "192.168.1.254",
        "1a.example",
        "::1",
        "::",
        "2001:db8::1",
        "2001:DB8:0:0:8:800:200C:417A",
        "fe80::",
        "1::8",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6::8",
        "::ffff:192.0.2.1",
        "64:ff9b::10.0.0.1",
        "[2001:db8::1]",
        "[::1]"
      })
  void dnsNamesIpv4AndIpv6AddressesAreAcceptedAsHostname(String hostname) {
    assertThat(integration().hostname(hostname).build().hostname()).isEqualTo(hostname);
  }

  @Test
  void hostnameOfLongestLabelsAndLength253IsAccepted() {
    String label63 = repeat('a', 63);
    String host = label63 + "." + label63 + "." + label63 + "." + repeat('b', 61);
    assertThat(host).hasSize(253);
    assertThat(integration().hostname(host).build().hostname()).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        ".",
        "-db.example.com",
        "db-.example.com",
        "db_1.example.com",
        "a..b",
        ".example.com",
        "db example.com",
        "db.example.com/path",
        "https://db.example.com",
        "999.1.1.1",
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "db.example.com:5432",
        "10.0.0.1:5432",
        "db:5432",
        "cafe:5432",
        "[::1]:5432",
        "::1]",
        ":::",
        "1:::2",
        "1::2::3",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "12345::1",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:",
        "::g",
        "fe80::1%eth0",
        "::1.2.3",
        "::256.0.0.1",
        "1.2.3.4::",
        "[db.example.com]",
        "db\u0000.example.com",
        "ünïcode.example.com"
      })
  void anythingButADnsNameOrIpAddressIsRejectedAsHostname(String hostname) {
    assertRejects(() -> integration().hostname(hostname).build(), "Integration.hostname", hostname);
  }

  @Test
  void hostnameWithALabelOf64OrLongerThan253IsRejected() {
    String label64 = repeat('a', 64) + ".example.com";
    assertRejects(() -> integration().hostname(label64).build(), "Integration.hostname", label64);
    String host254 =
        repeat('a', 63) + "." + repeat('a', 63) + "." + repeat('a', 63) + "." + repeat('b', 62);
    assertThat(host254).hasSize(254);
    assertRejects(() -> integration().hostname(host254).build(), "Integration.hostname", host254);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5432, 65535})
  void portFrom1To65535IsAccepted(int port) {
    assertThat(integration().port(port).build().port()).isEqualTo(port);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536, 70000, Integer.MIN_VALUE})
  void portOutside1To65535IsRejected(int port) {
    assertRejects(() -> integration().port(port).build(), "Integration.port", port)
        .hasMessage("Integration.port must be between 1 and 65535, but was " + port);
  }

  @Test
  void databaseMustBeAValidIdentifier() {
    assertThat(integration().database("Orders Prod").build().database()).isEqualTo("Orders Prod");
    assertRejects(() -> integration().database("").build(), "Integration.database", "");
    assertRejects(
            () -> integration().database("ord\0ers").build(), "Integration.database", "ord\0ers")
        .hasMessageContaining("\\u0000");
    String tooLong = repeat('d', 64);
    assertRejects(() -> integration().database(tooLong).build(), "Integration.database", tooLong);
  }

  @Test
  void sslModeDefaultsToRequireAndCanBeChanged() {
    assertThat(integration().build().sslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(integration().sslMode(SslMode.parse("verify-full")).build().sslMode())
        .isEqualTo(SslMode.VERIFY_FULL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "conn\n1", "conn\u00001"})
  void blankConnectorIdOrOneWithControlCharactersIsRejected(String id) {
    assertRejects(() -> integration().connectorId(id).build(), "Integration.connectorId", id);
  }

  @Test
  void credentialRotationDaysMustBeAtLeast1() {
    assertThat(integration().credentialRotationDays(1).build().credentialRotationDays())
        .hasValue(1);
    assertRejects(
        () -> integration().credentialRotationDays(0).build(),
        "Integration.credentialRotationDays",
        0);
    assertRejects(
        () -> integration().credentialRotationDays(-5).build(),
        "Integration.credentialRotationDays",
        -5);
  }

  @Test
  void userCleanupAfterDaysMustBeAtLeast0() {
    assertThat(integration().userCleanupAfterDays(0).build().userCleanupAfterDays()).hasValue(0);
    assertRejects(
        () -> integration().userCleanupAfterDays(-1).build(),
        "Integration.userCleanupAfterDays",
        -1);
  }

  @Test
  void customAccessDetailsOf400CharactersIsAcceptedAnd401IsRejected() {
    String max = repeat('x', Integration.MAX_CUSTOM_ACCESS_DETAILS);
    assertThat(integration().customAccessDetails(max).build().customAccessDetails()).hasValue(max);

    String tooLong = "Ask #dba-oncall. " + repeat('x', 384);
    assertThat(tooLong).hasSize(401);
    assertRejects(
            () -> integration().customAccessDetails(tooLong).build(),
            "Integration.customAccessDetails",
            tooLong)
        .hasMessageContaining("at most 400 characters (is 401)")
        .hasMessageContaining("\"Ask #dba-oncall. xxx")
        .hasMessageContaining("(401 chars)");
  }

  @Test
  void resourceOwnersRequireAnIntegrationOwner() {
    ResourceOwner owner = ResourceOwner.of("owner", "okta user");
    assertRejects(
            () -> integration().addResourceOwner(owner).build(),
            "Integration.resourceOwners",
            List.of(owner))
        .hasMessageContaining("require at least one integration owner");

    Integration ok =
        integration()
            .addResourceOwner(owner)
            .addIntegrationOwner(IntegrationOwner.of("entra group", "dba"))
            .build();
    assertThat(ok.resourceOwners()).containsExactly(owner);
  }

  @Test
  void maxAccessDurationMustBeAtLeastOneMinute() {
    assertThat(integration().maxAccessDuration(Duration.ofMinutes(1)).build().maxAccessDuration())
        .isEqualTo(Duration.ofMinutes(1));
    for (Duration d : List.of(Duration.ofSeconds(59), Duration.ZERO, Duration.ofHours(-1))) {
      assertRejects(
          () -> integration().maxAccessDuration(d).build(), "Integration.maxAccessDuration", d);
    }
  }
}
