package io.tagpipe.wire;

import java.util.Map;

/**
 * The processor's read of a record alone ({@link EnvelopeCodec#read}), for profiling by hand (no test
 * runs it): records shaped like the bench's traffic, read from a set small enough for the cache and from
 * one far larger, so what memory costs shows apart from what the scan costs. Prints ns per record.
 * {@code java -cp wire/target/test-classes:wire/target/classes:<classpath> io.tagpipe.wire.ScanBench [rounds]}
 */
final class ScanBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        EnvelopeCodec codec = new EnvelopeCodec();
        byte[][] small = records(codec, 1_024);
        byte[][] large = records(codec, 200_000);
        long bytes = 0;
        for (byte[] b : small) {
            bytes += b.length;
        }
        System.out.printf("%d bytes per record on average%n", bytes / small.length);
        for (int r = 0; r < rounds; r++) {
            System.out.printf("round %d: read in cache %.0f ns/record, from memory %.0f; scan alone in cache %.0f; strings alone %.0f%n", r,
                    perRecord(codec, small, 4_000_000), perRecord(codec, large, 4_000_000), perScan(small, 4_000_000), perStrings(small, 4_000_000));
        }
    }

    private static double perRecord(EnvelopeCodec codec, byte[][] records, int reads) throws Exception {
        long sink = 0;
        long start = System.nanoTime();
        for (int k = 0; k < reads; k++) {
            sink += codec.read(records[k % records.length]).ts();
        }
        double ns = (System.nanoTime() - start) / (double) reads;
        if (sink == 42) {
            System.out.println();
        }
        return ns;
    }

    private static double perScan(byte[][] records, int reads) {
        long sink = 0;
        long start = System.nanoTime();
        for (int k = 0; k < reads; k++) {
            sink += EnvelopeScanner.scan(records[k % records.length], false).objectEnd();
        }
        double ns = (System.nanoTime() - start) / (double) reads;
        if (sink == 42) {
            System.out.println();
        }
        return ns;
    }

    /** Every string of the record skipped by JsonStrings.skip, positions found beforehand: the strings' share of the scan. */
    private static double perStrings(byte[][] records, int reads) {
        int[][] starts = new int[records.length][];
        for (int r = 0; r < records.length; r++) {
            byte[] b = records[r];
            int[] st = new int[b.length];
            int n = 0;
            for (int j = 0; j < b.length; j++) {
                if (b[j] == '"') {
                    st[n++] = j + 1;
                    j = (int) JsonStrings.skip(b, j + 1);
                }
            }
            starts[r] = java.util.Arrays.copyOf(st, n);
        }
        long sink = 0;
        long start = System.nanoTime();
        for (int k = 0; k < reads; k++) {
            int r = k % records.length;
            byte[] b = records[r];
            for (int from : starts[r]) {
                sink += JsonStrings.skip(b, from);
            }
        }
        double ns = (System.nanoTime() - start) / (double) reads;
        if (sink == 42) {
            System.out.println();
        }
        return ns;
    }

    private static byte[][] records(EnvelopeCodec codec, int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = codec.encode(record(i, 1_700_000_000_000L + i));
        }
        return out;
    }

    /** As the bench's {@code Traffic.record}. */
    private static Envelope record(long i, long ts) {
        String app = "app-" + (i % 7);
        String id = String.format("01JB%022d", i);
        if (i % 4 == 3) {
            return Envelope.metric(id, app, ts).appSource("main-class").host("host-" + (i % 16))
                    .name(i % 8 == 3 ? "http.server.requests" : "jvm.memory.used").type(i % 8 == 3 ? "timer" : "gauge")
                    .value((double) (i * 7919 % 10_000) / 10).unit(i % 8 == 3 ? "ms" : "bytes")
                    .attrs(Map.of("region", "eu-west-1")).build();
        }
        boolean traced = (i / 5) % 10 < 6;
        return Envelope.log(id, app, ts).appSource("main-class").host("host-" + (i % 16))
                .level(i % 3 == 0 ? "INFO" : "DEBUG").logger("com.acme." + app.replace('-', '.') + ".Handler")
                .thread("http-nio-8080-exec-" + (i % 24))
                .message("handled request " + i + " in " + (i * 31 % 250) + " ms for customer c-" + (i % 9973))
                .traceId(traced ? String.format("4bf92f3577b34da6a3ce%012x", i / 5) : null)
                .spanId(traced ? String.format("00f067aa%08x", i) : null)
                .attrs(Map.of("region", "eu-west-1", "request_id", "req-" + i)).build();
    }
}
