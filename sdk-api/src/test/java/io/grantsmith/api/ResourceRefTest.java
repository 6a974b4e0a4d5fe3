package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourceRefTest {

  @Test
  void factoriesSetExactlyTheirKindsParts() {
    ResourceRef f = ResourceRef.function("orders", "sales", "total", "integer");

    assertThat(f.kind()).isEqualTo(ResourceKind.FUNCTION);
    assertThat(f.database()).hasValue("orders");
    assertThat(f.schema()).hasValue("sales");
    assertThat(f.name()).hasValue("total");
    assertThat(f.arguments()).hasValue("integer");
    assertThat(ResourceRef.server().database()).isEmpty();
    assertThat(ResourceRef.role("auditors").database()).isEmpty();
    assertThat(ResourceRef.role("auditors").name()).hasValue("auditors");
    assertThat(ResourceRef.schema("orders", "sales").name()).isEmpty();
    assertThat(ResourceRef.relation("orders", "sales", "invoices").arguments()).isEmpty();
  }

  @Test
  void toStringIsTheReadableFormOfEachKind() {
    assertThat(ResourceRef.server()).hasToString("server");
    assertThat(ResourceRef.database("orders")).hasToString("orders");
    assertThat(ResourceRef.schema("orders", "sales")).hasToString("orders/sales");
    assertThat(ResourceRef.relation("orders", "sales", "invoices"))
        .hasToString("orders/sales.invoices");
    assertThat(ResourceRef.sequence("orders", "sales", "invoice_seq"))
        .hasToString("orders/sales.invoice_seq");
    assertThat(ResourceRef.function("orders", "sales", "total", "integer"))
        .hasToString("orders/sales.total(integer)");
    assertThat(ResourceRef.function("orders", "sales", "now", ""))
        .hasToString("orders/sales.now()");
    assertThat(ResourceRef.role("auditors")).hasToString("role:auditors");
  }

  @Test
  void databaseIsRequiredForEveryKindButServerAndRole() {
    for (ResourceKind kind :
        new ResourceKind[] {
          ResourceKind.DATABASE,
          ResourceKind.SCHEMA,
          ResourceKind.RELATION,
          ResourceKind.SEQUENCE,
          ResourceKind.FUNCTION
        }) {
      assertRejects(
              () -> ResourceRef.builder().kind(kind).schema("s").name("n").arguments("").build(),
              "ResourceRef.database",
              null)
          .hasMessageContaining("must be set for a");
    }
  }

  @Test
  void databaseIsForbiddenForServerAndRole() {
    assertRejects(
            () -> ResourceRef.builder().kind(ResourceKind.SERVER).database("orders").build(),
            "ResourceRef.database",
            "orders")
        .hasMessageContaining("must be absent for a server");
    assertRejects(
            () ->
                ResourceRef.builder()
                    .kind(ResourceKind.ROLE)
                    .database("orders")
                    .name("auditors")
                    .build(),
            "ResourceRef.database",
            "orders")
        .hasMessageContaining("must be absent for a role");
  }

  @Test
  void schemaIsRequiredForSchemasRelationsSequencesAndFunctions() {
    for (ResourceKind kind :
        new ResourceKind[] {
          ResourceKind.SCHEMA, ResourceKind.RELATION, ResourceKind.SEQUENCE, ResourceKind.FUNCTION
        }) {
      assertRejects(
          () -> ResourceRef.builder().kind(kind).database("orders").name("n").arguments("").build(),
          "ResourceRef.schema",
          null);
    }
  }

  @Test
  void schemaIsForbiddenForServerDatabaseAndRole() {
    assertRejects(
        () -> ResourceRef.builder().kind(ResourceKind.SERVER).schema("sales").build(),
        "ResourceRef.schema",
        "sales");
    assertRejects(
            () ->
                ResourceRef.builder()
                    .kind(ResourceKind.DATABASE)
                    .database("orders")
                    .schema("sales")
                    .build(),
            "ResourceRef.schema",
            "sales")
        .hasMessageContaining("must be absent for a database");
    assertRejects(
        () ->
            ResourceRef.builder().kind(ResourceKind.ROLE).schema("sales").name("auditors").build(),
        "ResourceRef.schema",
        "sales");
  }

  @Test
  void nameIsRequiredForRelationsSequencesFunctionsAndRoles() {
    for (ResourceKind kind :
        new ResourceKind[] {ResourceKind.RELATION, ResourceKind.SEQUENCE, ResourceKind.FUNCTION}) {
      assertRejects(
          () ->
              ResourceRef.builder()
                  .kind(kind)
                  .database("orders")
                  .schema("sales")
                  .arguments("")
                  .build(),
          "ResourceRef.name",
          null);
    }
    assertRejects(
            () -> ResourceRef.builder().kind(ResourceKind.ROLE).build(), "ResourceRef.name", null)
        .hasMessageContaining("must be set for a role");
  }

  @Test
  void nameIsForbiddenForServerDatabaseAndSchema() {
    assertRejects(
        () -> ResourceRef.builder().kind(ResourceKind.SERVER).name("x").build(),
        "ResourceRef.name",
        "x");
    assertRejects(
        () ->
            ResourceRef.builder().kind(ResourceKind.DATABASE).database("orders").name("x").build(),
        "ResourceRef.name",
        "x");
    assertRejects(
            () ->
                ResourceRef.builder()
                    .kind(ResourceKind.SCHEMA)
                    .database("orders")
                    .schema("sales")
                    .name("x")
                    .build(),
            "ResourceRef.name",
            "x")
        .hasMessageContaining("must be absent for a schema");
  }

  @Test
  void argumentsAreRequiredForFunctionsOnlyAndMustNotHoldNul() {
    assertRejects(
            () ->
                ResourceRef.builder()
                    .kind(ResourceKind.FUNCTION)
                    .database("orders")
                    .schema("sales")
                    .name("total")
                    .build(),
            "ResourceRef.arguments",
            null)
        .hasMessageContaining("must be set for a function");
    assertRejects(
        () -> ResourceRef.function("orders", "sales", "total", "int\0"),
        "ResourceRef.arguments",
        "int\0");
    assertRejects(
            () ->
                ResourceRef.builder()
                    .kind(ResourceKind.RELATION)
                    .database("orders")
                    .schema("sales")
                    .name("invoices")
                    .arguments("")
                    .build(),
            "ResourceRef.arguments",
            "")
        .hasMessageContaining("must be absent for a relation");
    assertRejects(
        () -> ResourceRef.builder().kind(ResourceKind.SERVER).arguments("integer").build(),
        "ResourceRef.arguments",
        "integer");
  }

  @Test
  void everyPartMustBeAValidIdentifier() {
    String tooLong = repeat('x', 64);
    assertRejects(() -> ResourceRef.database(tooLong), "ResourceRef.database", tooLong);
    assertRejects(() -> ResourceRef.schema("orders", ""), "ResourceRef.schema", "");
    assertRejects(
        () -> ResourceRef.relation("orders", "sales", "inv\0"), "ResourceRef.name", "inv\0");
    assertRejects(() -> ResourceRef.role(tooLong), "ResourceRef.name", tooLong);
  }

  @Test
  void roleReferencesMayNameReservedRoles() {
    assertThat(ResourceRef.role("pg_read_all_data")).hasToString("role:pg_read_all_data");
  }

  @Test
  void referencesAreEqualExactlyWhenAllPartsAreEqual() {
    ResourceRef invoices = ResourceRef.relation("orders", "sales", "invoices");

    assertThat(invoices)
        .isEqualTo(ResourceRef.relation("orders", "sales", "invoices"))
        .hasSameHashCodeAs(ResourceRef.relation("orders", "sales", "invoices"))
        .isNotEqualTo(ResourceRef.sequence("orders", "sales", "invoices"))
        .isNotEqualTo(ResourceRef.relation("Orders", "sales", "invoices"))
        .isNotEqualTo(ResourceRef.relation("orders", "Sales", "invoices"))
        .isNotEqualTo(ResourceRef.relation("orders", "sales", "Invoices"));
    assertThat(ResourceRef.function("orders", "sales", "total", "integer"))
        .isNotEqualTo(ResourceRef.function("orders", "sales", "total", "bigint"))
        .isNotEqualTo(ResourceRef.function("orders", "sales", "total", ""));
    assertThat(ResourceRef.server()).isEqualTo(ResourceRef.server());
  }

  @Test
  void referencesSortByDatabaseThenKindSchemaNameAndArguments() {
    List<ResourceRef> expected =
        List.of(
            ResourceRef.server(),
            ResourceRef.role("admins"),
            ResourceRef.role("auditors"),
            ResourceRef.database("billing"),
            ResourceRef.database("orders"),
            ResourceRef.schema("orders", "public"),
            ResourceRef.schema("orders", "sales"),
            ResourceRef.relation("orders", "public", "z"),
            ResourceRef.relation("orders", "sales", "a"),
            ResourceRef.relation("orders", "sales", "invoices"),
            ResourceRef.sequence("orders", "public", "a_seq"),
            ResourceRef.function("orders", "sales", "total", ""),
            ResourceRef.function("orders", "sales", "total", "bigint"),
            ResourceRef.function("orders", "sales", "total", "integer"));
    List<ResourceRef> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(42));
    Collections.sort(shuffled);

    assertThat(shuffled).containsExactlyElementsOf(expected);
    for (int i = 0; i < expected.size(); i++) {
      for (int j = 0; j < expected.size(); j++) {
        assertThat(Integer.signum(expected.get(i).compareTo(expected.get(j))))
            .as("%s vs %s", expected.get(i), expected.get(j))
            .isEqualTo(Integer.compare(i, j));
      }
    }
  }

  @Test
  void requireDatabaseFailsForTheServerAndRoles() {
    assertThat(ResourceRef.schema("orders", "sales").requireDatabase()).isEqualTo("orders");
    assertThatThrownBy(() -> ResourceRef.server().requireDatabase())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("server has no database");
    assertThatThrownBy(() -> ResourceRef.role("auditors").requireDatabase())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("role:auditors has no database");
  }

  @Test
  void onlyServerAndRoleAreNotGrantable() {
    assertThat(ResourceKind.SERVER.isGrantable()).isFalse();
    assertThat(ResourceKind.ROLE.isGrantable()).isFalse();
    assertThat(ResourceKind.DATABASE.isGrantable()).isTrue();
    assertThat(ResourceKind.SCHEMA.isGrantable()).isTrue();
    assertThat(ResourceKind.RELATION.isGrantable()).isTrue();
    assertThat(ResourceKind.SEQUENCE.isGrantable()).isTrue();
    assertThat(ResourceKind.FUNCTION.isGrantable()).isTrue();
  }
}
