package io.tagpipe.bench.overload;

import java.util.List;

/**
 * The backlog and the level over one overload run, sampled every few seconds; the figures the
 * {@code OVERLOAD} stage reports are computed from it here, without Kafka or ClickHouse.
 */
public record Backlog(List<Sample> samples) {
    /** One sample: seconds since the flood started, kept records not yet in ClickHouse (summed over the lanes), the level. */
    public record Sample(double atSeconds, long records, int level) { }

    public Backlog {
        samples = List.copyOf(samples);
    }

    /**
     * Least-squares growth of the backlog in records/s over the samples in {@code [from, to]}
     * seconds; NaN with fewer than two samples there (unknown samples, records &lt; 0, are left out).
     */
    public double growthPerSecond(double from, double to) {
        List<Sample> in = samples.stream().filter(s -> s.atSeconds() >= from && s.atSeconds() <= to && s.records() >= 0).toList();
        if (in.size() < 2) {
            return Double.NaN;
        }
        double mx = in.stream().mapToDouble(Sample::atSeconds).average().orElseThrow();
        double my = in.stream().mapToDouble(Sample::records).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (Sample s : in) {
            sxy += (s.atSeconds() - mx) * (s.records() - my);
            sxx += (s.atSeconds() - mx) * (s.atSeconds() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** Seconds after the flood started of the first sample with a level above 0; NaN if none. */
    public double engagedAt() {
        return samples.stream().filter(s -> s.level() > 0).mapToDouble(Sample::atSeconds).findFirst().orElse(Double.NaN);
    }

    /**
     * Seconds from {@code floodEnd} to the first sample at or after it with level 0, provided the
     * level was above 0 before; 0 if it never rose; NaN if it was still up at the last sample.
     */
    public double levelZeroAfter(double floodEnd) {
        if (samples.stream().noneMatch(s -> s.level() > 0)) {
            return 0;
        }
        return samples.stream().filter(s -> s.atSeconds() >= floodEnd && s.level() == 0)
                .mapToDouble(s -> s.atSeconds() - floodEnd).findFirst().orElse(Double.NaN);
    }

    public int maxLevel() {
        return samples.stream().mapToInt(Sample::level).max().orElse(0);
    }

    /** The largest backlog sampled up to {@code until} seconds; -1 if none known. */
    public long peak(double until) {
        return samples.stream().filter(s -> s.atSeconds() <= until).mapToLong(Sample::records).max().orElse(-1);
    }

    /** The last known backlog at or before {@code at} seconds; -1 if none. */
    public long at(double at) {
        return samples.stream().filter(s -> s.atSeconds() <= at && s.records() >= 0).reduce((a, b) -> b)
                .map(Sample::records).orElse(-1L);
    }

    /**
     * Whether the backlog stopped growing: the growth over the last {@code lastSeconds} of the flood
     * is at most {@code tolerance} of the input rate, and shedding (level &gt; 0) engaged before that
     * stretch began. False when either is unknown.
     */
    public boolean stoppedGrowing(double floodEnd, double lastSeconds, double inputRate, double tolerance) {
        double g = growthPerSecond(floodEnd - lastSeconds, floodEnd);
        double engaged = engagedAt();
        return !Double.isNaN(g) && !Double.isNaN(engaged) && engaged <= floodEnd - lastSeconds && g <= tolerance * inputRate;
    }

    /**
     * Rows/s between the first and the last step of a count read every now and then ({@code at}
     * seconds, {@code count}): a sink inserts in batches, so a count grows in steps and a fixed
     * window would cut them arbitrarily. NaN with fewer than two steps.
     */
    public static double stepRate(List<double[]> atAndCount) {
        double[] first = null;
        double[] last = null;
        for (int i = 1; i < atAndCount.size(); i++) {
            if (atAndCount.get(i)[1] != atAndCount.get(i - 1)[1]) {
                last = atAndCount.get(i);
                first = first == null ? last : first;
            }
        }
        return first == null || last == first ? Double.NaN : (last[1] - first[1]) / (last[0] - first[0]);
    }
}
