package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.integration;
import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.Fixtures.request;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessRequestTest {

  @Test
  void requestKeepsItsPartsAndDefaultsToReadOnly() {
    AccessRequest r =
        request()
            .addResources(ResourceRef.role("auditors"), ResourceRef.server())
            .justification("incident 77")
            .build();

    assertThat(r.requestId()).isEqualTo("REQ-1042");
    assertThat(r.grantee()).isEqualTo("alice@example.com");
    assertThat(r.level()).isEqualTo(AccessLevel.READ_ONLY);
    assertThat(r.resources())
        .containsExactly(
            ResourceRef.schema("orders", "sales"),
            ResourceRef.role("auditors"),
            ResourceRef.server());
    assertThat(r.duration()).isEqualTo(Duration.ofHours(2));
    assertThat(r.justification()).hasValue("incident 77");
    assertThat(r.cleanupAfterDays()).isEmpty();
  }

  @Test
  void durationOfOneMinuteUpToTheIntegrationsMaximumIsAccepted() {
    assertThat(request().duration(AccessRequest.MIN_DURATION).build().duration())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(request().duration(Duration.ofDays(7)).build().duration())
        .isEqualTo(Duration.ofDays(7));
  }

  @Test
  void durationUnderOneMinuteIsRejected() {
    for (Duration d : List.of(Duration.ofSeconds(59), Duration.ZERO, Duration.ofMinutes(-5))) {
      assertRejects(() -> request().duration(d).build(), "AccessRequest.duration", d)
          .hasMessageContaining("must be at least one minute");
    }
  }

  @Test
  void durationOverTheIntegrationsMaximumIsRejected() {
    Duration tooLong = Duration.ofDays(7).plusSeconds(1);
    assertRejects(() -> request().duration(tooLong).build(), "AccessRequest.duration", tooLong)
        .hasMessageContaining("must be at most the integration's maximum PT168H");

    Integration shortMax = integration().maxAccessDuration(Duration.ofHours(1)).build();
    Duration twoHours = Duration.ofHours(2);
    assertRejects(
            () -> request().integration(shortMax).duration(twoHours).build(),
            "AccessRequest.duration",
            twoHours)
        .hasMessageContaining("maximum PT1H");
    assertThat(request().integration(shortMax).duration(Duration.ofHours(1)).build().duration())
        .isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "\t",
        "REQ\n1042",
        "REQ\u00001042",
        "REQ\u001b[31m",
        "REQ\u0085",
        "REQ\u007f"
      })
  void blankRequestIdOrOneWithControlCharactersIsRejected(String id) {
    assertRejects(() -> request().requestId(id).build(), "AccessRequest.requestId", id);
  }

  @Test
  void requestIdLongerThan128IsRejected() {
    assertThat(request().requestId(repeat('r', 128)).build().requestId()).hasSize(128);
    String tooLong = repeat('r', 129);
    assertRejects(() -> request().requestId(tooLong).build(), "AccessRequest.requestId", tooLong)
        .hasMessageContaining("must be at most 128 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "alice@example.com\r\nBcc: x", "alice\u0000", "\u0007"})
  void blankGranteeOrOneWithControlCharactersIsRejected(String grantee) {
    assertRejects(() -> request().grantee(grantee).build(), "AccessRequest.grantee", grantee);
  }

  @Test
  void granteeLongerThan256IsRejected() {
    assertThat(request().grantee(repeat('g', 256)).build().grantee()).hasSize(256);
    String tooLong = repeat('g', 257);
    assertRejects(() -> request().grantee(tooLong).build(), "AccessRequest.grantee", tooLong);
  }

  @Test
  void requestWithoutResourcesIsRejected() {
    assertRejects(
            () ->
                AccessRequest.builder()
                    .requestId("REQ-1")
                    .grantee("alice")
                    .integration(integration().build())
                    .duration(Duration.ofHours(1))
                    .build(),
            "AccessRequest.resources",
            List.of())
        .hasMessageContaining("must hold at least one resource");
  }

  @Test
  void justificationMustBeAtMost1000CharactersWithoutNul() {
    assertThat(request().justification(repeat('j', 1000)).build().justification()).isPresent();
    String tooLong = repeat('j', 1001);
    assertRejects(
        () -> request().justification(tooLong).build(), "AccessRequest.justification", tooLong);
    assertRejects(
        () -> request().justification("why\0").build(), "AccessRequest.justification", "why\0");
  }

  @Test
  void cleanupAfterDaysMustBeAtLeast0AndOverridesTheIntegrations() {
    Integration keepsAWeek = integration().userCleanupAfterDays(7).build();
    assertThat(request().integration(keepsAWeek).build().effectiveCleanupAfterDays()).hasValue(7);
    assertThat(
            request()
                .integration(keepsAWeek)
                .cleanupAfterDays(0)
                .build()
                .effectiveCleanupAfterDays())
        .hasValue(0);
    assertThat(request().build().effectiveCleanupAfterDays()).isEmpty();
    assertRejects(
        () -> request().cleanupAfterDays(-1).build(), "AccessRequest.cleanupAfterDays", -1);
  }
}
