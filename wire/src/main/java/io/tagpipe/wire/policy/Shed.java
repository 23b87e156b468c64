package io.tagpipe.wire.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * When an app is shed under database pressure ({@link io.tagpipe.wire.Pressure}): {@code early}
 * from level 1, {@code last} from level 2, {@code never} not at all.
 */
public enum Shed {
    NEVER(Integer.MAX_VALUE),
    LAST(2),
    EARLY(1);

    private final int startLevel;
    private final String label = name().toLowerCase(Locale.ROOT);

    Shed(int startLevel) {
        this.startLevel = startLevel;
    }

    /**
     * How hard to shed at a pressure level: 0 = not at all, 1 = a quarter of the sample rate,
     * 2 = only always-kept levels, 3 or more = nothing.
     */
    public int step(int pressureLevel) {
        return this == NEVER || pressureLevel < startLevel ? 0 : pressureLevel - startLevel + 1;
    }

    public String label() {
        return label;
    }

    /** The default of an importance: critical and high never, normal last, low early. */
    public static Shed defaultFor(Importance importance) {
        return switch (importance) {
            case CRITICAL, HIGH -> NEVER;
            case NORMAL -> LAST;
            case LOW, DROP -> EARLY;
        };
    }

    /** Exact (case-insensitive) match of a name; empty for anything else, never a guess. */
    public static Optional<Shed> parse(String s) {
        return Arrays.stream(values()).filter(v -> v.label.equalsIgnoreCase(s == null ? "" : s.strip())).findFirst();
    }
}
