package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a real {@link KafkaBroker}, a real {@link ClickHouseServer}
 * (18.16), a current ClickHouse engine ({@link ChdbEngine}) and/or a {@link ZooKeeper} (for a
 * {@link ClickHouseCluster} the test starts itself); a test annotated
 * {@link EachClickHouse} runs once per ClickHouse and takes the current one as a {@link ClickHouse}.
 *
 * <pre>{@code
 * @ExtendWith(RealServices.class)
 * class MyIT {
 *     @Test void works(KafkaBroker kafka, ClickHouseServer clickhouse) { ... }
 *     @EachClickHouse void onBoth(KafkaBroker kafka, ClickHouse clickhouse) { ... }
 * }
 * }</pre>
 *
 * <p>Each service starts lazily on first use and is shared by every test class of the JVM; it is
 * stopped (and its temp dir deleted) when the JUnit engine finishes, even if tests failed. Tests
 * keep isolation with unique topic and table names, see {@link #unique(String)}.
 */
public final class RealServices implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == KafkaBroker.class || t == ClickHouseServer.class || t == ChdbEngine.class || t == ZooKeeper.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext.Store store = e.getRoot().getStore(ExtensionContext.Namespace.create(RealServices.class));
        if (p.getParameter().getType() == KafkaBroker.class) {
            return store.getOrComputeIfAbsent("kafka",
                    k -> new Owned<>(KafkaBroker.start(tempDir("tagpipe-kafka-"))), Owned.class).service;
        }
        if (p.getParameter().getType() == ZooKeeper.class) {
            return store.getOrComputeIfAbsent("zookeeper",
                    k -> new Owned<>(ZooKeeper.start(tempDir("tagpipe-zookeeper-"))), Owned.class).service;
        }
        return clickhouse(e, p.getParameter().getType() == ChdbEngine.class
                ? EachClickHouse.Kind.CURRENT : EachClickHouse.Kind.LEGACY);
    }

    /** The JVM's one instance of that kind, started on first use. */
    static ClickHouse clickhouse(ExtensionContext e, EachClickHouse.Kind kind) {
        ExtensionContext.Store store = e.getRoot().getStore(ExtensionContext.Namespace.create(RealServices.class));
        return (ClickHouse) store.getOrComputeIfAbsent("clickhouse-" + kind, k -> new Owned<>(
                kind == EachClickHouse.Kind.CURRENT ? ChdbEngine.start(tempDir("tagpipe-chdb-"))
                        : ClickHouseServer.start(tempDir("tagpipe-clickhouse-"))), Owned.class).service;
    }

    private static long counter;

    /** A name unique within this JVM run, safe for topics and ClickHouse identifiers. */
    public static synchronized String unique(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "_" + (++counter);
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stuck engine query (see {@link ChdbSession}) must reach the build log before its files go. */
    private static void reportStuckQueries(ClickHouse c) {
        try (Stream<String> lines = Files.lines(c.dir().resolve("stdout.log"))) {
            lines.filter(l -> l.contains("still running")).forEach(l -> System.err.println(c.name() + ": " + l));
        } catch (IOException | UncheckedIOException e) {
            // no log: nothing to report
        }
    }

    /** Closes the service at the end of the JUnit run and removes its files. */
    private static final class Owned<T extends AutoCloseable> implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final T service;

        Owned(T service) {
            this.service = service;
        }

        @Override
        public void close() throws Exception {
            service.close();
            if (service instanceof KafkaBroker k) {
                TempDirs.deleteTree(k.logDir().getParent());
            } else if (service instanceof ClickHouse c) {
                reportStuckQueries(c);
                TempDirs.deleteTree(c.dir());
            } else if (service instanceof ZooKeeper z) {
                TempDirs.deleteTree(z.dir());
            }
        }
    }
}
