package io.grantsmith.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code grantsmith demo}: the quickstart against an embedded server; see {@link Demo}.
 *
 * <p>The embedded server comes from {@code sdk-testkit}, which the CLI distribution leaves out of
 * its {@code lib/}: the separate demo archive adds it (as {@code demo/}). Without it, the command
 * says which archive to unpack.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded Azure-shaped PostgreSQL and walk through setup, discovery,"
            + " plan, grant, login, denial, revoke and sweep. With --output json the narration"
            + " goes to stderr and stdout gets one JSON object.")
final class DemoCommand implements Callable<Integer> {
  /** Classes the demo needs that only the demo archive ships. */
  static final String[] DEMO_CLASSES = {
    "io.grantsmith.testkit.AzurePostgres", "io.zonky.test.db.postgres.embedded.EmbeddedPostgres"
  };

  @ParentCommand GrantsmithCli cli;

  @Mixin Commands.OutputOptions output;

  @Option(
      names = "--server-version",
      defaultValue = "17",
      paramLabel = "N",
      description = "PostgreSQL major version to start (default 17).")
  int version;

  @Override
  public Integer call() {
    boolean json = output.json();
    String missing = missingDemoClass(DemoCommand.class.getClassLoader());
    if (missing != null) {
      String home = System.getProperty("grantsmith.home");
      cli.err.println(
          "grantsmith: the demo needs its embedded server ("
              + missing
              + " is missing): unpack grantsmith-cli-demo-"
              + GrantsmithCli.version()
              + ".zip or .tar.gz where grantsmith-cli-"
              + GrantsmithCli.version()
              + " was unpacked"
              + (home != null ? ", so that " + home + "/demo exists" : ""));
      return GrantsmithCli.FAILED;
    }
    Demo demo = new Demo(json ? cli.err : cli.out);
    int code = demo.run(version);
    if (json) {
      cli.out.println(
          Json.write(
              Json.object()
                  .put("succeeded", code == GrantsmithCli.OK)
                  .put("majorVersion", version)
                  .put("seconds", Math.round(demo.seconds() * 10) / 10.0)
                  .put("failure", demo.failure())));
    }
    return code;
  }

  /**
   * The first of {@link #DEMO_CLASSES} that {@code loader} cannot find.
   *
   * @param loader the class loader
   * @return the class name, or null if all are there
   */
  static String missingDemoClass(ClassLoader loader) {
    for (String name : DEMO_CLASSES) {
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return name;
      }
    }
    return null;
  }
}
