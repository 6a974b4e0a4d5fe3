package io.grantsmith.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code grantsmith demo}: the quickstart against an embedded server; see {@link Demo}. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded Azure-shaped PostgreSQL and walk through setup, discovery,"
            + " plan, grant, login, denial, revoke and sweep.")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand GrantsmithCli cli;

  @Option(
      names = "--server-version",
      defaultValue = "17",
      paramLabel = "N",
      description = "PostgreSQL major version to start (default 17).")
  int version;

  @Override
  public Integer call() {
    return new Demo(cli.out).run(version);
  }
}
