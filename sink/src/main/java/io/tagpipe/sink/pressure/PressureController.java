package io.tagpipe.sink.pressure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one {@link Signals} sample per period into the pressure level, with hysteresis: a higher
 * wanted level applies at once; a lower one only one step at a time, after the wanted level stayed
 * below the current one for {@link PressureRules#calm()} and the current level was held for at
 * least {@link PressureRules#hold()}. Flapping input therefore raises the level once and keeps it.
 * Pure: no I/O, time is passed in. Not thread-safe (one scheduler thread feeds it).
 */
public final class PressureController {
    /** The level now, since when, and why (the signals that want more than 0, and any calm-down in progress). */
    public record Decision(int level, long sinceMs, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    private final PressureRules rules;
    private int level;
    private long sinceMs;
    private long lowerSinceMs = -1;

    public PressureController(PressureRules rules, long nowMs) {
        this.rules = rules;
        this.sinceMs = nowMs;
    }

    public Decision update(Signals signals, long nowMs) {
        PressureRules.Wanted wanted = rules.evaluate(signals);
        if (wanted.level() > level) {
            enter(wanted.level(), nowMs);
        } else if (wanted.level() < level) {
            if (lowerSinceMs < 0) {
                lowerSinceMs = nowMs;
            }
            if (nowMs - lowerSinceMs >= rules.calm().toMillis() && nowMs - sinceMs >= rules.hold().toMillis()) {
                enter(level - 1, nowMs);
                if (wanted.level() < level) {
                    lowerSinceMs = nowMs; // the next step down needs its own calm period
                }
            }
        } else {
            lowerSinceMs = -1;
        }
        List<String> reasons = new ArrayList<>(wanted.reasons());
        if (wanted.level() < level) {
            reasons.add(String.format(Locale.ROOT, "calming down: signals want %d for %.1f s, one step down after "
                    + "%.1f s of calm and %.1f s at a level", wanted.level(), (nowMs - lowerSinceMs) / 1000.0,
                    rules.calm().toMillis() / 1000.0, rules.hold().toMillis() / 1000.0));
        }
        return new Decision(level, sinceMs, reasons);
    }

    private void enter(int newLevel, long nowMs) {
        level = newLevel;
        sinceMs = nowMs;
        lowerSinceMs = -1;
    }
}
