package io.grantsmith.samples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grantsmith.api.AccessFlow;
import io.grantsmith.api.AccessFlows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code grantsmith flows}: work with access flows files; needs no server. */
@Command(
    name = "flows",
    mixinStandardHelpOptions = true,
    description = "Access flows files (who may get which access, with whose approval).",
    subcommands = {FlowsCommand.Check.class})
final class FlowsCommand implements Runnable {
  @ParentCommand GrantsmithCli cli;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a subcommand is required: flows check FILE");
  }

  /** {@code grantsmith flows check FILE}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Read an access flows file strictly and print its flows. Exit code 0 when it is valid,",
        "2 with one line naming the file and the JSON field when it is not. Needs no server."
      })
  static final class Check implements Callable<Integer> {
    @ParentCommand FlowsCommand parent;

    @Parameters(paramLabel = "FILE", description = "The flows file (JSON).")
    Path file;

    @Mixin Commands.OutputOptions output;

    @Override
    public Integer call() {
      boolean json = output.json();
      AccessFlows flows = FlowOptions.read(file).accessFlows();
      GrantsmithCli cli = parent.cli;
      if (json) {
        List<ObjectNode> items = new ArrayList<>();
        for (AccessFlow f : flows.flows()) {
          ObjectNode o =
              Json.object()
                  .put("name", f.name())
                  .put("integration", f.integration())
                  .put("maxLevel", f.maxLevel().label())
                  .put("maxDuration", f.maxDuration().toString())
                  .put("approval", f.approval().toString())
                  .put("justificationRequired", f.justificationRequired());
          Json.putStrings(o, "requesters", f.requesters());
          Json.putStrings(o, "resources", f.resources());
          f.window().ifPresent(w -> o.put("window", w.toString()));
          items.add(o);
        }
        cli.out.println(
            Json.write(Json.object().put("file", file.toString()).putPOJO("flows", items)));
      } else {
        cli.out.println(file + ": " + flows.flows().size() + " flow(s), valid");
        for (AccessFlow f : flows.flows()) {
          cli.out.println(
              "  "
                  + f.name()
                  + ": "
                  + f.requesters()
                  + " on "
                  + f.integration()
                  + " "
                  + f.resources()
                  + ", up to "
                  + f.maxLevel().label()
                  + " for "
                  + f.maxDuration()
                  + ", approval "
                  + f.approval()
                  + (f.justificationRequired() ? ", justification required" : "")
                  + f.window().map(w -> ", window " + w).orElse(""));
        }
      }
      return GrantsmithCli.OK;
    }
  }
}
