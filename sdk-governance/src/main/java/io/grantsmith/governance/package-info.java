/**
 * Governance for Grantsmith: access flows read from JSON files ({@link
 * io.grantsmith.governance.FlowsFile}), the versioned JSON of audit events ({@link
 * io.grantsmith.governance.AuditJson}), and three {@link io.grantsmith.api.AuditSink}s: {@link
 * io.grantsmith.governance.Slf4jAuditSink}, {@link io.grantsmith.governance.JsonLinesAuditSink} and
 * {@link io.grantsmith.governance.WebhookAuditSink}.
 */
package io.grantsmith.governance;
