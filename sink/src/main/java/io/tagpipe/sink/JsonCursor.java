package io.tagpipe.sink;

/** A position in a record's bytes, for the readers of {@link RawScanner} that step through JSON by hand. */
abstract class JsonCursor {
    byte[] b;
    int i;

    /** The byte here, or -1 at the end. */
    final int at() {
        return i < b.length ? b[i] : -1;
    }

    /** Steps over {@code c} if it is here. */
    final boolean take(char c) {
        if (i < b.length && b[i] == c) {
            i++;
            return true;
        }
        return false;
    }
}
