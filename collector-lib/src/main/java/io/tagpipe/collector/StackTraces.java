package io.tagpipe.collector;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a throwable like {@code printStackTrace}, but iteratively and defensively: cause and
 * suppressed cycles print once, deep chains cannot overflow the stack, a throwing
 * {@code toString()}/{@code getCause()} is survived, and the text is capped.
 */
final class StackTraces {
    static final int MAX_FRAMES_PER_THROWABLE = 128;

    private StackTraces() {
    }

    private record Item(Throwable t, String indent, String caption) {
    }

    static String render(Throwable root, int maxChars) {
        if (root == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(1024);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Item> todo = new ArrayDeque<>();
        todo.push(new Item(root, "", ""));
        while (!todo.isEmpty() && out.length() <= maxChars) {
            Item it = todo.pop();
            if (!seen.add(it.t)) {
                line(out, it.indent + it.caption + "[CIRCULAR REFERENCE: " + describe(it.t) + "]");
                continue;
            }
            line(out, it.indent + it.caption + describe(it.t));
            frames(out, it);
            Throwable cause = cause(it.t);
            if (cause != null) {
                todo.push(new Item(cause, it.indent, "Caused by: "));
            }
            Throwable[] suppressed = suppressed(it.t);
            for (int i = suppressed.length - 1; i >= 0; i--) {
                todo.push(new Item(suppressed[i], it.indent + "\t", "Suppressed: "));
            }
        }
        String text = out.toString();
        if (text.length() > maxChars || !todo.isEmpty()) {
            int cut = Math.min(text.length(), maxChars);
            return Sanitizer.fixSurrogates(text.substring(0, cut)) + "…[truncated stack trace]";
        }
        return Sanitizer.fixSurrogates(text);
    }

    private static void frames(StringBuilder out, Item it) {
        StackTraceElement[] frames;
        try {
            frames = it.t.getStackTrace();
        } catch (RuntimeException e) {
            return;
        }
        int n = Math.min(frames.length, MAX_FRAMES_PER_THROWABLE);
        for (int i = 0; i < n; i++) {
            line(out, it.indent + "\tat " + frames[i]);
        }
        if (frames.length > n) {
            line(out, it.indent + "\t... " + (frames.length - n) + " more");
        }
    }

    static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (RuntimeException | StackOverflowError e) {
            return t.getClass().getName() + " (toString() threw " + e.getClass().getName() + ")";
        }
    }

    private static Throwable cause(Throwable t) {
        try {
            Throwable c = t.getCause();
            return c == t ? null : c;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Throwable[] suppressed(Throwable t) {
        try {
            return t.getSuppressed();
        } catch (RuntimeException e) {
            return new Throwable[0];
        }
    }

    private static void line(StringBuilder out, String s) {
        out.append(s).append('\n');
    }
}
