package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each value type's public {@code Builder} interface, written by hand for its javadoc, against the
 * builder Immutables generates ({@code ImmutableX.Builder}): the generated builder implements it
 * and has every one of its methods with the same parameters and a return type the interface
 * accepts.
 */
class BuilderInterfacesTest {

  /** Every {@code Builder} interface nested in a class of this package (at any depth). */
  static List<Class<?>> builderInterfaces() throws IOException, URISyntaxException {
    URL here = Grant.class.getResource("Grant.class");
    Path dir = Path.of(here.toURI()).getParent();
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String file = f.getFileName().toString();
        if (!file.endsWith(".class") || file.startsWith("Immutable")) {
          continue;
        }
        Class<?> c;
        try {
          c = Class.forName("io.grantsmith.api." + file.substring(0, file.length() - 6));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        if (c.isInterface() && c.getSimpleName().equals("Builder")) {
          found.add(c);
        }
      }
    }
    return found;
  }

  /** The generated builder of the value type that declares {@code builderInterface}. */
  private static Class<?> generated(Class<?> builderInterface) throws ClassNotFoundException {
    Class<?> value = builderInterface.getEnclosingClass();
    return Class.forName("io.grantsmith.api.Immutable" + value.getSimpleName() + "$Builder");
  }

  @Test
  void everyValueTypeWithABuilderMethodIsCovered() throws Exception {
    List<Class<?>> interfaces = builderInterfaces();
    assertThat(interfaces.stream().map(Class::getName))
        .containsExactlyInAnyOrder(
            "io.grantsmith.api.AccessFlow$Builder",
            "io.grantsmith.api.AccessFlows$Builder",
            "io.grantsmith.api.AccessRequest$Builder",
            "io.grantsmith.api.Approval$Builder",
            "io.grantsmith.api.AuditEvent$Builder",
            "io.grantsmith.api.Authorization$Builder",
            "io.grantsmith.api.ApplyResult$Builder",
            "io.grantsmith.api.ApplyResult$DatabaseResult$Builder",
            "io.grantsmith.api.CatalogSnapshot$Builder",
            "io.grantsmith.api.Credentials$Builder",
            "io.grantsmith.api.DefaultPrivilege$Builder",
            "io.grantsmith.api.DesiredState$Builder",
            "io.grantsmith.api.EntraPrincipal$Builder",
            "io.grantsmith.api.Grant$Builder",
            "io.grantsmith.api.Integration$Builder",
            "io.grantsmith.api.IntegrationOwner$Builder",
            "io.grantsmith.api.Lease$Builder",
            "io.grantsmith.api.Membership$Builder",
            "io.grantsmith.api.Plan$Builder",
            "io.grantsmith.api.ResourceOwner$Builder",
            "io.grantsmith.api.ResourceRef$Builder",
            "io.grantsmith.api.RoleInfo$Builder",
            "io.grantsmith.api.RoleSpec$Builder",
            "io.grantsmith.api.SecretRef$Builder",
            "io.grantsmith.api.Statement$Builder",
            "io.grantsmith.api.Step$Builder",
            "io.grantsmith.api.TimeWindow$Builder");
    // Every public value type that offers builder() returns one of these interfaces.
    for (Class<?> builder : interfaces) {
      Class<?> value = builder.getEnclosingClass();
      Method factory = value.getMethod("builder");
      assertThat(Modifier.isStatic(factory.getModifiers())).as(value.getName()).isTrue();
      assertThat(factory.getReturnType()).as(value.getName()).isEqualTo(builder);
    }
  }

  @ParameterizedTest
  @MethodSource("builderInterfaces")
  void theGeneratedBuilderImplementsTheInterface(Class<?> builderInterface) throws Exception {
    Class<?> generated = generated(builderInterface);
    assertThat(builderInterface).isAssignableFrom(generated);
    assertThat(Modifier.isPublic(builderInterface.getModifiers())).isTrue();
    // And builder() hands out the generated one, typed as the interface.
    Object b = builderInterface.getEnclosingClass().getMethod("builder").invoke(null);
    assertThat(b).isInstanceOf(generated);
  }

  @ParameterizedTest
  @MethodSource("builderInterfaces")
  void everyInterfaceMethodIsOnTheGeneratedBuilderWithACompatibleSignature(
      Class<?> builderInterface) throws Exception {
    Class<?> generated = generated(builderInterface);
    Method[] declared = builderInterface.getDeclaredMethods();
    assertThat(declared).isNotEmpty();
    boolean build = false;
    for (Method m : declared) {
      String what =
          builderInterface.getName() + "." + m.getName() + Arrays.toString(m.getParameterTypes());
      Method g = generated.getMethod(m.getName(), m.getParameterTypes());
      assertThat(Modifier.isPublic(g.getModifiers())).as(what).isTrue();
      assertThat(Modifier.isStatic(g.getModifiers())).as(what).isFalse();
      assertThat(m.getReturnType()).as(what).isAssignableFrom(g.getReturnType());
      assertThat(g.isVarArgs()).as(what).isEqualTo(m.isVarArgs());
      if (m.getName().equals("build")) {
        build = true;
        assertThat(m.getReturnType()).as(what).isEqualTo(builderInterface.getEnclosingClass());
      } else {
        // Every other method chains: it returns the builder, typed as the interface.
        assertThat(m.getReturnType()).as(what).isEqualTo(builderInterface);
      }
    }
    assertThat(build).as(builderInterface.getName() + " has build()").isTrue();
  }

  @Test
  void buildersAreNotStrictALaterCallReplacesAnEarlierOne() {
    // GrantsmithStyle says so: a copy made with from(value) is changed with the setters after it.
    Integration first =
        Integration.builder()
            .name("first")
            .hostname("db.example.com")
            .maxAccessDuration(Duration.ofHours(1))
            .build();
    Integration second = Integration.builder().from(first).name("second").build();
    assertThat(second.name()).isEqualTo("second");
    assertThat(second.hostname()).isEqualTo("db.example.com");
    assertThat(second.maxAccessDuration()).isEqualTo(Duration.ofHours(1));
    Grant g =
        Grant.builder()
            .grantee("a")
            .grantee("b")
            .resource(ResourceRef.database("shop"))
            .addPrivilege(Privilege.CONNECT)
            .build();
    assertThat(g.grantee()).isEqualTo("b");
  }
}
