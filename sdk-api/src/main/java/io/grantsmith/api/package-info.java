/**
 * The Grantsmith model: immutable, validated values for integrations, resources, privileges, roles,
 * grants, access requests, leases and plans, and the service-provider interfaces ({@link
 * io.grantsmith.api.Executor}, {@link io.grantsmith.api.CatalogReader}, {@link
 * io.grantsmith.api.SecretStore}, {@link io.grantsmith.api.PasswordGenerator}) that implementations
 * plug into.
 *
 * <p>Every value is built with {@code X.builder()} and validated when built: a bad value throws
 * {@link io.grantsmith.api.InvalidValueException}, whose message names the field, the rule and the
 * value, before any SQL exists.
 */
@GrantsmithStyle
package io.grantsmith.api;
