package io.tagpipe.collector;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * For appenders: the names of an event's markers and of every marker they reference (SLF4J
 * references, Log4j2 parents), depth first, each name once, comma-joined — the {@code marker} attr.
 * Bounded: at most {@value #MAX_NAMES} names and {@value #MAX_VISITS} markers visited, so a reference
 * cycle or a marker with huge reference lists costs little; a marker implementation that throws
 * ends the walk with the names found so far.
 */
public final class MarkerNames {
    static final int MAX_NAMES = 32;
    static final int MAX_VISITS = 256;

    private MarkerNames() {
    }

    /** {@code null} when there is no named marker. */
    public static <M> String join(Iterable<? extends M> roots, Function<? super M, String> name,
                                  Function<? super M, ? extends Iterator<? extends M>> references) {
        if (roots == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        try {
            Deque<Iterator<? extends M>> stack = new ArrayDeque<>();
            stack.push(roots.iterator());
            for (int visits = 0; !stack.isEmpty() && names.size() < MAX_NAMES && visits < MAX_VISITS; ) {
                Iterator<? extends M> level = stack.peek();
                if (!level.hasNext()) {
                    stack.pop();
                    continue;
                }
                M marker = level.next();
                visits++;
                String n = marker == null ? null : name.apply(marker);
                if (n != null && names.add(n)) { // a name seen before is not walked again: cycles end here
                    Iterator<? extends M> refs = references.apply(marker);
                    if (refs != null) {
                        stack.push(refs);
                    }
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            // keep what was found: a hostile Marker must not cost the event
        }
        return names.isEmpty() ? null : String.join(",", names);
    }
}
