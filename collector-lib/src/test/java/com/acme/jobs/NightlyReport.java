package com.acme.jobs;

import java.time.Duration;
import java.util.Map;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;

/** A child JVM of ChildJvmIdentityIT: sends one record labelled by detection, args[0] = topic. */
public final class NightlyReport {
    public static void main(String[] args) {
        try (TagpipeSender sender = TagpipeSender.fromEnv().topic(args[0]).build()) {
            sender.log(Level.INFO, "com.acme.jobs.NightlyReport", "hello from NightlyReport", null, Map.of());
            System.exit(sender.flush(Duration.ofSeconds(60)) ? 0 : 2);
        }
    }
}
