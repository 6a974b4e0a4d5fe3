/**
 * Small integrator programs, each runnable against an embedded server with only a JDK: {@link
 * io.grantsmith.samples.Quickstart}, {@link io.grantsmith.samples.BulkReadOnlyAccess}, {@link
 * io.grantsmith.samples.BreakGlassAdminAccess} and {@link io.grantsmith.samples.ScheduledSweep}.
 */
package io.grantsmith.samples;
