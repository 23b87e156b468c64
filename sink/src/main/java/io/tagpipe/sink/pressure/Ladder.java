package io.tagpipe.sink.pressure;

import java.util.List;

/**
 * One signal's thresholds for levels 1..{@code Pressure.MAX}: the wanted level is how many steps
 * the value has reached. Rising ladders (latency, parts …) count {@code value >= step}; a falling
 * one (free disk) counts {@code value <= step}.
 */
public record Ladder(List<Double> steps, boolean falling) {
    public Ladder {
        steps = List.copyOf(steps);
    }

    public static Ladder rising(double... steps) {
        return new Ladder(java.util.Arrays.stream(steps).boxed().toList(), false);
    }

    public static Ladder falling(double... steps) {
        return new Ladder(java.util.Arrays.stream(steps).boxed().toList(), true);
    }

    /**
     * A ladder written as its thresholds separated by commas, e.g. {@code 2000,5000,15000,30000}
     * (how the sink's settings take one); validity is checked where the ladder is used.
     */
    public static Ladder parse(String thresholds, boolean falling) {
        try {
            double[] steps = java.util.Arrays.stream(thresholds.split(",")).map(String::strip)
                    .mapToDouble(Double::parseDouble).toArray();
            return new Ladder(java.util.Arrays.stream(steps).boxed().toList(), falling);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("thresholds must be numbers separated by commas, got '" + thresholds + "'");
        }
    }

    /** The level this value wants: 0 below the first step. */
    public int level(double value) {
        int n = 0;
        for (double s : steps) {
            if (falling ? value <= s : value >= s) {
                n++;
            }
        }
        return n;
    }

    /** The step that {@code level} needs (level ≥ 1). */
    public double step(int level) {
        return steps.get(level - 1);
    }

    /** Null when valid, else why not. */
    String problem(String name, int levels) {
        if (steps.size() != levels) {
            return name + " needs " + levels + " thresholds, got " + steps.size();
        }
        for (int i = 0; i < steps.size(); i++) {
            double s = steps.get(i);
            if (!(s >= 0) || Double.isInfinite(s)) {
                return name + " thresholds must be finite and >= 0, got " + steps;
            }
            if (i > 0 && (falling ? s >= steps.get(i - 1) : s <= steps.get(i - 1))) {
                return name + " thresholds must be strictly " + (falling ? "falling" : "rising") + ", got " + steps;
            }
        }
        return null;
    }
}
