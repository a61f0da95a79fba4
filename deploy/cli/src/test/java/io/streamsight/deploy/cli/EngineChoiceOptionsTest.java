package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code --variant}, {@code --provider}, {@code --[no-]tensorrt-fp16} of the job commands. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EngineChoiceOptionsTest {

  private static OperatorCommand operator(String... extra) {
    OperatorCommand cmd = new OperatorCommand();
    String[] base = {"--bootstrap", "127.0.0.1:9092", "--model", "m"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void shouldDefaultToFp32OnTheAutoProviderWithTensorRtFp16() {
    assertEquals(EngineOptions.DEFAULT, operator().engine.toEngineOptions(ModelVariant.FP32));
  }

  @Test
  void shouldParseProvidersCaseInsensitivelyAndCarryEveryChoice() {
    EngineOptions o =
        operator("--variant", "q4", "--provider", "TensorRT", "--no-tensorrt-fp16")
            .engine
            .toEngineOptions(ModelVariant.FP32);
    assertEquals(new EngineOptions(ModelVariant.Q4, ExecutionProvider.TENSORRT, false), o);
    assertEquals(ExecutionProvider.CPU, operator("--provider", "cpu").engine.provider);
    assertEquals(ExecutionProvider.CUDA, operator("--provider", " cuda ").engine.provider);
  }

  @Test
  void shouldRejectAnUnknownProviderOrVariantAsAUsageErrorNamingTheValidOnes() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StreamsightCli()).setErr(new PrintWriter(err));
    int rc = cli.execute("operator", "--bootstrap", "h:1", "--model", "m", "--provider", "gpu");
    assertEquals(2, rc);
    assertTrue(
        err.toString().contains("unknown execution provider 'gpu', expected auto, tensorrt, cuda"),
        err.toString());

    err.getBuffer().setLength(0);
    rc = cli.execute("demo", "--variant", "fp8");
    assertEquals(2, rc);
    assertTrue(err.toString().contains("expected one of fp32, fp16, q4"), err.toString());
  }

  @Test
  void shouldLeaveTheDemosVariantUnsetSoItCanPickOne() {
    DemoCommand demo = new DemoCommand();
    new CommandLine(demo).parseArgs();
    assertNull(demo.engine.variant());
    new CommandLine(demo).parseArgs("--variant", "int8", "--provider", "cpu");
    assertEquals(ModelVariant.INT8, demo.engine.variant());
    assertEquals(ExecutionProvider.CPU, demo.engine.provider);
  }
}
