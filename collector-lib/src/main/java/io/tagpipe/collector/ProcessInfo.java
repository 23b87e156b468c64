package io.tagpipe.collector;

import java.util.List;

/**
 * What identity detection may read about the process: environment, system properties and the
 * launch command. The seam that lets tests feed any command line.
 */
public interface ProcessInfo {
    /** An environment variable, {@code null} when unset. */
    String env(String name);

    /** A system property, {@code null} when unset. */
    String property(String name);

    /**
     * The JVM's arguments after the executable ({@code ProcessHandle} view), used when
     * {@code sun.java.command} is missing; empty when unknown.
     */
    List<String> arguments();

    /** The running JVM. */
    static ProcessInfo current() {
        return new ProcessInfo() {
            @Override
            public String env(String name) {
                return System.getenv(name);
            }

            @Override
            public String property(String name) {
                try {
                    return System.getProperty(name);
                } catch (SecurityException e) {
                    return null;
                }
            }

            @Override
            public List<String> arguments() {
                return ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
            }
        };
    }
}
