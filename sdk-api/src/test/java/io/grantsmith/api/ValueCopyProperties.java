package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class ValueCopyProperties {

  /** Every value type of the model: each must be generated and copied. */
  private static final List<Class<?>> VALUE_TYPES =
      List.of(
          Integration.class,
          SecretRef.class,
          IntegrationOwner.class,
          ResourceOwner.class,
          ResourceRef.class,
          Grant.class,
          DefaultPrivilege.class,
          Membership.class,
          RoleSpec.class,
          RoleInfo.class,
          AccessRequest.class,
          Lease.class,
          Statement.class,
          Step.class,
          Plan.class,
          Credentials.class,
          CatalogSnapshot.class,
          ApplyResult.class,
          ApplyResult.DatabaseResult.class,
          DesiredState.class,
          AccessFlow.class,
          TimeWindow.class,
          Approval.class,
          Authorization.class,
          AuditEvent.class);

  @Provide
  Arbitrary<Object> anyValue() {
    return Arbitraries.oneOf(
        ModelArbitraries.integrations(),
        ModelArbitraries.secretRefs(),
        ModelArbitraries.integrationOwners(),
        ModelArbitraries.resourceOwners(),
        ModelArbitraries.resourceRefs(),
        ModelArbitraries.grants(),
        ModelArbitraries.defaultPrivileges(),
        ModelArbitraries.memberships(),
        ModelArbitraries.roleSpecs(),
        ModelArbitraries.roleInfos(),
        ModelArbitraries.accessRequests(),
        ModelArbitraries.leases(),
        ModelArbitraries.statements(),
        ModelArbitraries.steps(),
        ModelArbitraries.plans(),
        ModelArbitraries.credentials(),
        ModelArbitraries.catalogSnapshots(),
        ModelArbitraries.applyResults(),
        ModelArbitraries.databaseResults(),
        ModelArbitraries.desiredStates(),
        ModelArbitraries.accessFlows(),
        ModelArbitraries.timeWindows(),
        ModelArbitraries.approvals(),
        ModelArbitraries.authorizations(),
        ModelArbitraries.auditEvents());
  }

  @Property
  void everyValueSurvivesACopyThroughItsBuilder(@ForAll("anyValue") Object value) {
    Object copy = copyThroughBuilder(value);

    assertThat(copy).isEqualTo(value).hasSameHashCodeAs(value).hasToString(value.toString());
    Statistics.label("type")
        .collect(valueType(value).getSimpleName())
        .coverage(c -> VALUE_TYPES.forEach(t -> c.check(t.getSimpleName()).count(n -> n > 0)));
  }

  private static Class<?> valueType(Object value) {
    return VALUE_TYPES.stream()
        .filter(t -> t.isInstance(value))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not a value type: " + value.getClass()));
  }

  private static Object copyThroughBuilder(Object v) {
    if (v instanceof Integration) {
      return Integration.builder().from((Integration) v).build();
    } else if (v instanceof SecretRef) {
      return SecretRef.builder().from((SecretRef) v).build();
    } else if (v instanceof IntegrationOwner) {
      return IntegrationOwner.builder().from((IntegrationOwner) v).build();
    } else if (v instanceof ResourceOwner) {
      return ResourceOwner.builder().from((ResourceOwner) v).build();
    } else if (v instanceof ResourceRef) {
      return ResourceRef.builder().from((ResourceRef) v).build();
    } else if (v instanceof Grant) {
      return Grant.builder().from((Grant) v).build();
    } else if (v instanceof DefaultPrivilege) {
      return DefaultPrivilege.builder().from((DefaultPrivilege) v).build();
    } else if (v instanceof Membership) {
      return Membership.builder().from((Membership) v).build();
    } else if (v instanceof RoleSpec) {
      return RoleSpec.builder().from((RoleSpec) v).build();
    } else if (v instanceof RoleInfo) {
      return RoleInfo.builder().from((RoleInfo) v).build();
    } else if (v instanceof AccessRequest) {
      return AccessRequest.builder().from((AccessRequest) v).build();
    } else if (v instanceof Lease) {
      return Lease.builder().from((Lease) v).build();
    } else if (v instanceof Statement) {
      return Statement.builder().from((Statement) v).build();
    } else if (v instanceof Step) {
      return Step.builder().from((Step) v).build();
    } else if (v instanceof Plan) {
      return Plan.builder().from((Plan) v).build();
    } else if (v instanceof Credentials) {
      return Credentials.builder().from((Credentials) v).build();
    } else if (v instanceof CatalogSnapshot) {
      return CatalogSnapshot.builder().from((CatalogSnapshot) v).build();
    } else if (v instanceof ApplyResult) {
      // ApplyResult.Builder does not declare from(); the generated builder has it.
      return ImmutableApplyResult.builder().from((ApplyResult) v).build();
    } else if (v instanceof ApplyResult.DatabaseResult) {
      return ImmutableDatabaseResult.builder().from((ApplyResult.DatabaseResult) v).build();
    } else if (v instanceof DesiredState) {
      return DesiredState.builder().from((DesiredState) v).build();
    } else if (v instanceof AccessFlow) {
      return AccessFlow.builder().from((AccessFlow) v).build();
    } else if (v instanceof TimeWindow) {
      return TimeWindow.builder().from((TimeWindow) v).build();
    } else if (v instanceof Approval) {
      return Approval.builder().from((Approval) v).build();
    } else if (v instanceof Authorization) {
      return Authorization.builder().from((Authorization) v).build();
    } else if (v instanceof AuditEvent) {
      return AuditEvent.builder().from((AuditEvent) v).build();
    }
    throw new AssertionError("no copy for " + v.getClass());
  }
}
