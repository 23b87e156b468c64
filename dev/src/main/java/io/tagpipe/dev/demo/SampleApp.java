package io.tagpipe.dev.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One sample application the demo runs as its own OS process, and the label the collector is
 * expected to derive for it. {@link #plan} is pure: the command lines for a repo checkout.
 */
public record SampleApp(String label, String entrypoint, String description, List<String> command, Map<String, String> env) {
    static final String PYTHON_SCRIPT = "collector-lib/python/examples/services/search/api/main.py";
    /** Longest the changed app runs past the duration while the demo waits for the change to show. */
    static final Duration CHANGED_APP_EXTRA = Duration.ofSeconds(120);

    /** The four Java apps (two with a main class named {@code Main}) and, when given a python, the Python one. */
    static List<SampleApp> plan(Path home, String java, String bootstrap, Duration duration, String python) {
        Map<String, String> env = Map.of("TAGPIPE_BOOTSTRAP_SERVERS", bootstrap);
        String cp = home.resolve("demo-apps/target/demo-apps.jar") + File.pathSeparator + home.resolve("demo-apps/target/lib/*");
        List<SampleApp> apps = new ArrayList<>();
        apps.add(javaApp("billing-api", "Logback, traces of 3-4 records, 1% errors with exceptions",
                java, cp, "com.acme.services.billing.api.Main", duration, env));
        // the app whose policy changes runs until the demo has seen the change take effect (then SIGTERM)
        apps.add(javaApp(DemoPolicies.CHANGED_APP, "Log4j2, jobs with retries; runs until its policy change shows",
                java, cp, "com.acme.services.billing.worker.BillingWorker", duration.plus(CHANGED_APP_EXTRA), env));
        apps.add(javaApp("search-indexer", "Logback, noisy: ~750 records/s, mostly DEBUG",
                java, cp, "com.acme.services.search.indexer.Main", duration, env));
        apps.add(javaApp("nightly-report", "metrics through the direct API, few logs",
                java, cp, "com.acme.jobs.nightlyreport.NightlyReport", duration, env));
        if (python != null) {
            Map<String, String> pyEnv = Map.of("TAGPIPE_BOOTSTRAP_SERVERS", bootstrap,
                    "PYTHONPATH", home.resolve("collector-lib/python").toString());
            apps.add(new SampleApp("search-api", PYTHON_SCRIPT, "Python logging + timers, labelled from its path",
                    List.of(python, home.resolve(PYTHON_SCRIPT).toString(), "--duration", Long.toString(duration.toSeconds())),
                    pyEnv));
        }
        return apps;
    }

    private static SampleApp javaApp(String label, String description, String java, String cp, String main,
                                     Duration duration, Map<String, String> env) {
        // small heaps and C1 only: five JVMs share two cores with the pipeline
        return new SampleApp(label, main, description, List.of(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Ddemo.duration=" + duration.toSeconds(), "-cp", cp, main), env);
    }

    /** What is missing to run the Java apps, or null. */
    public static String missingJavaApps(Path home) {
        Path jar = home.resolve("demo-apps/target/demo-apps.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(home.resolve("demo-apps/target/lib"))) {
            return "the sample apps are not built (" + jar + " missing): run ./tagpipe build (or mvn -DskipTests package) in " + home;
        }
        return null;
    }
}
