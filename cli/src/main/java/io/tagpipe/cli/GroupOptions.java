package io.tagpipe.cli;

import picocli.CommandLine.Option;

/** The consumer groups of tagpipe's programs (mixins): each program's own flag, and {@code status} reads both. */
final class GroupOptions {
    private GroupOptions() {
    }

    /** {@code --group-id}: the sink's consumer group. */
    static final class Sink {
        @Option(names = "--group-id", defaultValue = "${env:TAGPIPE_SINK_GROUP_ID:-tagpipe-sink}",
                description = "the sink's consumer group (env TAGPIPE_SINK_GROUP_ID, default ${DEFAULT-VALUE})")
        String groupId;
    }

    /** {@code --application-id}: the processor's Kafka Streams application id, which is its consumer group. */
    static final class Processor {
        @Option(names = "--application-id", defaultValue = "${env:TAGPIPE_PROCESSOR_APP_ID:-tagpipe-processor}",
                description = "Kafka Streams application.id; instances with the same id share the work "
                        + "(env TAGPIPE_PROCESSOR_APP_ID, default ${DEFAULT-VALUE})")
        String applicationId;
    }
}
