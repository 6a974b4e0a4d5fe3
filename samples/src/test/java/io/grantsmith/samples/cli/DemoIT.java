package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoIT {

  @Test
  void demoRunsEveryStepAndExitsZero() {
    StringWriter out = new StringWriter();
    int code = new Demo(new PrintWriter(out)).run(17);
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("(10) Sweep and cleanup", "SQLSTATE 42501", "Demo succeeded")
        .containsPattern("SQLSTATE 28(000|P01)");
  }

  @Test
  void demoWithJsonOutputNarratesOnStderrAndPrintsOneObject() {
    CliTest.Result r = CliTest.run(Map.of(), "demo", "--output", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("(10) Sweep and cleanup", "Demo succeeded");
    Map<String, Object> json = CliIT.parse(r.out());
    assertThat(json)
        .containsEntry("succeeded", true)
        .containsEntry("majorVersion", 17)
        .containsEntry("failure", null)
        .containsKey("seconds");
  }
}
