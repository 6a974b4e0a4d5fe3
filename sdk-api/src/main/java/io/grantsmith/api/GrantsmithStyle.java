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
 * {@code Integration.builder()} and see only the public nested {@code Builder} interface. Builders
 * are strict (each attribute set at most once) and copy is done with {@code builder().from(value)}.
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
