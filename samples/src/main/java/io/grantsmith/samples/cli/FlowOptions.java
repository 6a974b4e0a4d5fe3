package io.grantsmith.samples.cli;

import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Approval;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.IdentityDirectory;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceTags;
import io.grantsmith.governance.FlowsFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The access flow flags of {@code grant}: {@code --flows FILE} (the flows that must approve the
 * request), {@code --requester ID}, {@code --approved-by ID} (repeatable) and {@code
 * --justification TEXT}. The approvals are those the caller reports, given now for this request's
 * id; the flows decide whether they count.
 */
final class FlowOptions {
  @Option(
      names = "--flows",
      paramLabel = "FILE",
      description =
          "Access flows (JSON, see 'grantsmith flows check'): the request is granted only if they"
              + " approve it; otherwise exit code "
              + GrantsmithCli.NOT_APPROVED
              + " and nothing changes. Needs --requester.")
  Path flows;

  @Option(
      names = "--requester",
      paramLabel = "ID",
      description = "Who asks for the access (an identity); recorded in the audit events.")
  String requester;

  @Option(
      names = "--approved-by",
      paramLabel = "ID",
      split = ",",
      description =
          "Repeatable: an identity that approved this request (its --request-id); never counted"
              + " for the requester or the grantee. Needs --flows.")
  List<String> approvedBy = new ArrayList<>();

  @Option(
      names = "--justification",
      paramLabel = "TEXT",
      description = "Why the access is needed; some flows require one.")
  String justification;

  /** Whether the grant goes through {@code AccessManager.grant(request, authorization)}. */
  boolean authorized() {
    check();
    return requester != null;
  }

  /**
   * The flows of {@code --flows}, with the resource tags of the integration file if it has any.
   *
   * @param tags the integration file's resource tags, or null
   * @return the flows, or null without {@code --flows}
   */
  AccessFlows flows(Map<String, Map<String, String>> tags) {
    check();
    if (flows == null) {
      return null;
    }
    FlowsFile file = read(flows);
    if (tags == null) {
      return file.accessFlows();
    }
    try {
      return file.accessFlows(IdentityDirectory.of(file.groups()), ResourceTags.of(tags));
    } catch (InvalidValueException e) {
      throw new GrantsmithCli.UsageException(
          "invalid --integration: \"resourceTags\": " + e.getMessage());
    }
  }

  /**
   * What the caller reports: the requester, each approval given now for the request, and the
   * justification.
   *
   * @param request the request
   * @param now the time of the approvals
   * @return the authorization
   */
  Authorization authorization(AccessRequest request, Instant now) {
    Authorization.Builder b = Authorization.builder().requester(requester);
    for (String approver : approvedBy) {
      b.addApproval(Approval.of(approver.strip(), now, request.requestId()));
    }
    if (justification != null) {
      b.justification(justification);
    }
    try {
      return b.build();
    } catch (InvalidValueException e) {
      throw new GrantsmithCli.UsageException(
          "invalid "
              + (e.field().startsWith("Approval") ? "--approved-by" : "--requester")
              + ": "
              + e.getMessage());
    }
  }

  private void check() {
    if (flows != null && requester == null) {
      throw new GrantsmithCli.UsageException(
          "--flows needs --requester: the flows decide who may ask");
    }
    if (flows == null && !approvedBy.isEmpty()) {
      throw new GrantsmithCli.UsageException(
          "--approved-by needs --flows: without flows no approval is checked");
    }
  }

  /**
   * Reads a flows file.
   *
   * @param file the file
   * @return its content
   * @throws GrantsmithCli.UsageException naming the file and the JSON field if it is unusable
   */
  static FlowsFile read(Path file) {
    try {
      return FlowsFile.read(file);
    } catch (GrantsmithException | InvalidValueException e) {
      // InvalidValueException names the JSON path of the value, e.g. flows[0].maxDuration.
      throw new GrantsmithCli.UsageException(
          "invalid --flows " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
