package io.tagpipe.collector;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Record ids as UUIDv7 (RFC 9562): 48 bits of epoch millis, then random bits, so ids sort by
 * time and stay unique across processes without coordination.
 */
final class RecordIds {
    private RecordIds() {
    }

    static String next(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = ((epochMillis & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
