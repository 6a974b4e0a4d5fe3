package io.grantsmith.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the SDK's value types.
 *
 * <p>Generated implementations are package-private and hidden behind the abstract type: users write
 * {@code Integration.builder()} and see only the public nested {@code Builder} interface, which the
 * generated builder implements ({@code BuilderInterfacesTest} checks each against it). Builders are
 * not strict: a later call of a setter replaces the value an earlier one set, and collection adders
 * add to what is there. That is what copying relies on: {@code builder().from(value)} followed by
 * the setters of the attributes to change (Immutables' strict builders do not offer {@code from}).
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = true,
    redactedMask = "****",
    allParameters = false,
    depluralize = true)
public @interface GrantsmithStyle {}
