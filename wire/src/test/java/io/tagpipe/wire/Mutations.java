package io.tagpipe.wire;

import java.util.Arrays;
import java.util.Random;

/** Random damage to records, for the differential tests of the readers. */
final class Mutations {
    private Mutations() {
    }

    /** One to three changes: a byte from {@code alphabet}, a high byte, a control byte, a byte removed or inserted. */
    static byte[] mutate(byte[] seed, byte[] alphabet, Random rnd) {
        byte[] m = seed.clone();
        for (int k = rnd.nextInt(3); k >= 0; k--) {
            int at = rnd.nextInt(m.length);
            switch (rnd.nextInt(5)) {
                case 0 -> m[at] = alphabet[rnd.nextInt(alphabet.length)];
                case 1 -> m[at] = (byte) (0x80 + rnd.nextInt(0x80)); // broken or foreign UTF-8
                case 2 -> m = concat(Arrays.copyOf(m, at), Arrays.copyOfRange(m, at + 1, m.length));
                case 3 -> m = concat(Arrays.copyOf(m, at), concat(new byte[] {alphabet[rnd.nextInt(alphabet.length)]},
                        Arrays.copyOfRange(m, at, m.length)));
                default -> m[at] = (byte) rnd.nextInt(0x20);
            }
        }
        return m;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
