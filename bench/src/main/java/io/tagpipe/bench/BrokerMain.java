package io.tagpipe.bench;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.tagpipe.testkit.KafkaBroker;

/**
 * A testkit broker in its own JVM, so the broker's CPU and GC do not land in the measured process.
 * Prints {@code BOOTSTRAP host:port} once ready; stops cleanly on SIGTERM.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println("BOOTSTRAP " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
