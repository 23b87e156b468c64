package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * One event, built by the Python collector's envelope code (a real python3 process) and by Java's,
 * must decode to equal envelopes: the two languages share one wire contract.
 */
class PythonEnvelopeParityIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PY_PKG = Path.of(System.getProperty("tagpipe.repo.dir", ".."), "collector-lib", "python");

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void pythonAndJavaEnvelopesForTheSameEventDecodeEqual() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 missing (./tagpipe test installs it as root)");
        List<byte[]> fromPython = runPython("""
                import base64
                from tagpipe_collector import envelope as e
                log = e.build("0190a3b4-0000-7000-8000-000000000001", "billing-api", "script", "log", 1764000000123,
                              host="h1", level=e.level_name("WARNING", 30), logger="billing.api", thread="MainThread",
                              message="slow payment \\u2713 \\"quoted\\" \\\\ back", exception="Traceback: boom",
                              trace_id="4bf92f3577b34da6a3ce929d0e0e4736", span_id="00f067aa0ba902b7",
                              attrs={"customer": 42, "region": "eu"})
                metric = e.build("0190a3b4-0000-7000-8000-000000000002", "nightly-report", "module", "metric",
                                 1764000000456, name="report.rows", value=812, unit="rows", type="counter")
                for env in (log, metric):
                    print(base64.b64encode(e.encode(env)).decode())
                """);

        Envelope javaLog = Envelope.log("0190a3b4-0000-7000-8000-000000000001", "billing-api", 1764000000123L)
                .appSource("script").host("h1").level("WARN").logger("billing.api").thread("MainThread")
                .message("slow payment ✓ \"quoted\" \\ back").exception("Traceback: boom")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                .attrs(Map.of("customer", "42", "region", "eu")).build();
        Envelope javaMetric = Envelope.metric("0190a3b4-0000-7000-8000-000000000002", "nightly-report", 1764000000456L)
                .appSource("module").name("report.rows").value(812.0).unit("rows").type("counter").build();

        assertThat(codec.decode(fromPython.get(0))).isEqualTo(codec.decode(codec.encode(javaLog)));
        assertThat(codec.decode(fromPython.get(1))).isEqualTo(codec.decode(codec.encode(javaMetric)));
    }

    private static List<byte[]> runPython(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-c", script)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONPATH", PY_PKG.toAbsolutePath().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python exit code").isZero();
        return out.lines().map(Base64.getDecoder()::decode).toList();
    }
}
