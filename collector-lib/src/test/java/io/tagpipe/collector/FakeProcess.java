package io.tagpipe.collector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A process with whatever environment, properties and command line a test needs. */
final class FakeProcess implements ProcessInfo {
    final Map<String, String> env = new HashMap<>();
    final Map<String, String> props = new HashMap<>();
    List<String> args = List.of();

    static FakeProcess command(String javaCommand) {
        FakeProcess p = new FakeProcess();
        p.props.put("sun.java.command", javaCommand);
        return p;
    }

    FakeProcess env(String k, String v) {
        env.put(k, v);
        return this;
    }

    FakeProcess prop(String k, String v) {
        props.put(k, v);
        return this;
    }

    @Override
    public String env(String name) {
        return env.get(name);
    }

    @Override
    public String property(String name) {
        return props.get(name);
    }

    @Override
    public List<String> arguments() {
        return args;
    }
}
