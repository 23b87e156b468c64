package io.tagpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.admin.policy.PolicyFlags;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagpipe policy set|get|list|rm|apply}: parses arguments and prints; the work is in {@link PolicyClient}. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Per-app policies on the compacted topic " + Topics.POLICIES + " (app '*' = default).")
public final class PolicyCommand {
    static final int INVALID = 2;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    private PolicyClient client() {
        return new PolicyClient(kafka.client(), Topics.POLICIES, Duration.ofSeconds(30));
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int invalid(InvalidPolicyException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("invalid policy, nothing written:");
        e.errors().forEach(m -> err.println("  - " + m));
        return INVALID;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Replace APP's policy; unset fields take the importance's defaults.")
    int set(@Parameters(paramLabel = "APP", description = "app label, or '*' for the default") String app,
            @Option(names = "--importance", description = "critical, high, normal, low, drop") String importance,
            @Option(names = "--sample-rate", description = "fraction of ordinary log records kept, 0..1") String rate,
            @Option(names = "--metrics-sample-rate", description = "fraction of metric records kept, 0..1") String metricsRate,
            @Option(names = "--retention", description = "days kept records live, e.g. 30d") String retention,
            @Option(names = "--max-rate", description = "cap after sampling, e.g. 500/s, or none") String maxRate,
            @Option(names = "--min-level", description = "drop log records below this level") String minLevel,
            @Option(names = "--keep", description = "levels never sampled out nor capped, e.g. ERROR,WARN ('' = none)") String keep,
            @Option(names = "--route", description = "topic for kept records (must exist)") String route,
            @Option(names = "--shed", description = "under database pressure: never, last, early (default by importance)")
            String shed) {
        try {
            PolicyCodec.checkApp(app);
            Policy p = PolicyFlags.toPolicy(importance, rate, retention, maxRate, minLevel, keep, route, metricsRate,
                    shed);
            client().put(app, p);
            out().println("policy of '" + app + "' set: " + new String(new PolicyCodec().encode(p)));
            return 0;
        } catch (InvalidPolicyException e) {
            return invalid(e);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show APP's policy with every effective value.")
    int get(@Parameters(paramLabel = "APP") String app) {
        var snap = client().readAll();
        Policy own = snap.policies().get(app);
        Policy dflt = snap.policies().get(Topics.DEFAULT_POLICY_KEY);
        Policy effective = own != null ? own : dflt != null ? dflt : Policy.builtInDefault();
        String source = own != null ? "own policy" : dflt != null ? "default policy '*'" : "built-in default (no '*' policy)";
        out().println(app + ": " + source);
        describe(effective);
        if (snap.invalid().containsKey(app)) {
            out().println("  note: an invalid record for this app was ignored: " + snap.invalid().get(app));
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every policy on the topic, as stored.")
    int list() {
        var snap = client().readAll();
        if (snap.policies().isEmpty()) {
            out().println("no policies: every app gets the built-in default " + new String(new PolicyCodec().encode(Policy.builtInDefault())));
        }
        snap.policies().forEach((app, p) -> out().printf("%-30s %s%n", app, new String(new PolicyCodec().encode(p))));
        snap.invalid().forEach((app, why) -> out().printf("%-30s IGNORED (invalid) %s%n", app, why));
        return 0;
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove APP's policy (tombstone): the default applies again.")
    int rm(@Parameters(paramLabel = "APP") String app) {
        try {
            client().remove(app);
            out().println("policy of '" + app + "' removed");
            return 0;
        } catch (InvalidPolicyException e) {
            return invalid(e);
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Set many policies from a YAML or JSON file (map app -> fields); all are validated before any is written.")
    int apply(@Parameters(paramLabel = "FILE") Path file) {
        try {
            String text = Files.readString(file);
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
            Map<String, Policy> policies = PolicyFile.read(text, yaml);
            client().putAll(policies);
            policies.keySet().forEach(app -> out().println("policy of '" + app + "' set"));
            return 0;
        } catch (InvalidPolicyException e) {
            return invalid(e);
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot read " + file + ": " + e.getMessage());
            return INVALID;
        }
    }

    private void describe(Policy p) {
        out().println("  importance          " + p.importance().label());
        out().println("  sample_rate         " + p.sampleRate());
        out().println("  metrics_sample_rate " + p.metricsSampleRate());
        out().println("  always_keep_levels  " + p.alwaysKeepLevels());
        out().println("  min_level           " + p.minLevel());
        out().println("  max_records_per_sec " + (p.hasRateCap() ? p.maxRecordsPerSec() : "no cap"));
        out().println("  retention_days      " + p.retentionDays());
        out().println("  route               " + (p.importance() == Importance.DROP ? "(none: nothing is kept)"
                : p.routeOr(ProcessorTopics.defaults().lane(p.importance()))));
        out().println("  shed                " + p.shed().label());
    }
}
