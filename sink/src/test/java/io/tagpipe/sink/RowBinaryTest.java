package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The buffer's own encoding: fixed-width integers little-endian at any position, repeated strings as written. */
class RowBinaryTest {

    @Test
    void fixedWidthValuesAreLittleEndianAlsoAcrossAChunkBoundary() {
        RowBinary out = new RowBinary();
        // 7 + 14n bytes: the values sit at odd positions, and some straddle the first chunk's end
        for (int i = 0; i < 7; i++) {
            out.varint(1);
        }
        int n = RowBinary.CHUNK / 14 + 10;
        for (int i = 0; i < n; i++) {
            out.int64(0x0102030405060708L + i);
            out.int32(-i);
            out.int16(0xBEEF + i);
        }
        byte[] all = out.toBytes(0, out.size());
        assertThat(java.util.Arrays.copyOf(all, 7)).containsOnly(1);
        RowBinaryReader aligned = new RowBinaryReader(java.util.Arrays.copyOfRange(all, 7, all.length));
        for (int i = 0; i < n; i++) {
            assertThat(aligned.int64()).isEqualTo(0x0102030405060708L + i);
            assertThat((int) aligned.int32()).isEqualTo(-i);
            assertThat(aligned.uint16()).isEqualTo((0xBEEF + i) & 0xFFFF);
        }
        assertThat(out.size()).isEqualTo(7 + 14L * n);
    }

    @Test
    void aRepeatedStringIsWrittenAsItIsEvenAfterOthersTookItsPlaceInTheCache() {
        RowBinary out = new RowBinary();
        String topic = "tagpipe.kept";
        String[] others = {"normal", "a", "b", "c", "d", "é", new String("tagpipe.kept")};
        for (String o : others) {
            out.string(topic);
            out.string(o);
        }
        out.string(null);
        out.string("");
        RowBinaryReader in = new RowBinaryReader(out.toBytes(0, out.size()));
        for (String o : others) {
            assertThat(in.string()).isEqualTo(topic);
            assertThat(in.string()).isEqualTo(o);
        }
        assertThat(in.string()).isEmpty();
        assertThat(in.string()).isEmpty();
    }
}
