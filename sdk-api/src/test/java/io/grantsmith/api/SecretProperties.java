package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

class SecretProperties {

  @Provide
  Arbitrary<RoleSpec> roles() {
    return ModelArbitraries.roleSpecs();
  }

  @Property(tries = 200)
  void noValueHoldingAPasswordShowsItInToString(
      @ForAll("roles") RoleSpec role,
      @ForAll @AlphaChars @StringLength(min = 12, max = 30) String password) {
    String marker = "pw-" + password;
    Secret secret = Secret.of(marker);
    RoleSpec withPassword = RoleSpec.builder().from(role).password(secret).build();
    Credentials credentials = Credentials.of(role.name(), secret);
    Statement statement =
        Statement.builder()
            .database("orders")
            .sql("ALTER ROLE x PASSWORD '" + marker + "'")
            .redacted("ALTER ROLE x PASSWORD '****'")
            .build();
    Plan plan =
        Plan.builder()
            .addStep(
                Step.builder().database("orders").description("pw").addStatement(statement).build())
            .build();

    assertThat(secret.toString()).doesNotContain(marker);
    assertThat(withPassword.toString()).doesNotContain(marker);
    assertThat(credentials.toString()).doesNotContain(marker);
    assertThat(statement.toString()).doesNotContain(marker);
    assertThat(plan.toString()).doesNotContain(marker);
    assertThat(plan.toSql()).doesNotContain(marker);
  }
}
