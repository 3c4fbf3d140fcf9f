package io.clusterboot.bench;

import java.util.List;

/**
 * What a series of requests per second says: the steady figure, how long the JIT took to
 * get there, and how deep and how long a dip was.
 * <p>
 * On a shared 2-core machine the JIT needs 20 to 40 s of full load to settle, so a
 * figure measured after a few seconds of warm-up is the figure of cold code. The load
 * runs in consecutive windows until the last {@value #SETTLED_WINDOWS} agree within
 * {@value #SETTLED_SPREAD_PERCENT}%; their mean is the steady figure.
 */
final class Throughput {

	static final int SETTLED_WINDOWS = 3;

	static final int SETTLED_SPREAD_PERCENT = 5;

	/** Seconds averaged before comparing with the steady figure: one second is noise. */
	static final int SMOOTHING_SECONDS = 5;

	/** Warm means this fraction of the steady figure. */
	static final double WARM = 0.9;

	/** Seconds after a reload's signal over which its shortfall is counted. */
	static final int SHORTFALL_SECONDS = 60;

	private Throughput() {
	}

	/**
	 * The steady figure of consecutive windows.
	 * @param windows requests per second of each window, in order
	 * @return the mean of the last windows, and whether they agree
	 */
	static Steady steady(List<Double> windows) {
		if (windows.isEmpty()) {
			return new Steady(0, false, 0);
		}
		List<Double> last = windows.subList(Math.max(0, windows.size() - SETTLED_WINDOWS), windows.size());
		double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		boolean settled = last.size() == SETTLED_WINDOWS && mean > 0
				&& last.stream().allMatch((rate) -> Math.abs(rate - mean) <= mean * SETTLED_SPREAD_PERCENT / 100.0);
		return new Steady(mean, settled, windows.size());
	}

	/**
	 * Seconds from {@code from} until the mean of the last {@value #SMOOTHING_SECONDS}
	 * seconds first reaches a target. The averaged seconds may start before
	 * {@code from}: back to steady after a reload means the seconds around its end too.
	 * @param perSecond requests in each second
	 * @param from the index counting starts at
	 * @param target requests per second to reach
	 * @return the seconds from {@code from} to the end of the first span that reaches the
	 * target, or -1 if none does
	 */
	static int secondsToReach(long[] perSecond, int from, double target) {
		for (int second = Math.max(from, SMOOTHING_SECONDS - 1); second < perSecond.length; second++) {
			long sum = 0;
			for (int i = second - SMOOTHING_SECONDS + 1; i <= second; i++) {
				sum += perSecond[i];
			}
			if (sum >= target * SMOOTHING_SECONDS) {
				return second - from + 1;
			}
		}
		return -1;
	}

	/**
	 * The lowest second of a span.
	 * @param perSecond requests in each second
	 * @param from first index, inclusive
	 * @param to last index, exclusive; clipped to the series
	 * @return the lowest count, or -1 for an empty span
	 */
	static long lowest(long[] perSecond, int from, int to) {
		long lowest = -1;
		for (int second = Math.max(0, from); second < Math.min(to, perSecond.length); second++) {
			if (lowest < 0 || perSecond[second] < lowest) {
				lowest = perSecond[second];
			}
		}
		return lowest;
	}

	/**
	 * What a dip cost: the requests a span served short of a rate, in seconds of that
	 * rate. The lowest second says how deep a dip went, this how much it took in all: a
	 * short deep dip can cost less than a long shallow one. Seconds above the rate do not
	 * make up for those below, so noise alone counts a little (about a second a minute
	 * at 4% noise); and what a recovery costs after the span is not counted.
	 * @param perSecond requests in each second
	 * @param from first index, inclusive
	 * @param seconds how many seconds the span has
	 * @param steady the rate to compare with
	 * @return seconds of the steady rate not served, or -1 if the series ends before the
	 * span does
	 */
	static double shortfallSeconds(long[] perSecond, int from, int seconds, double steady) {
		if (from < 0 || from + seconds > perSecond.length || steady <= 0) {
			return -1;
		}
		double missing = 0;
		for (int second = from; second < from + seconds; second++) {
			missing += Math.max(0, steady - perSecond[second]);
		}
		return missing / steady;
	}

	/**
	 * The median of some values.
	 * @param values the values
	 * @return the median, or {@code NaN} if there are none
	 */
	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * The steady figure of a run.
	 * @param requestsPerSecond mean of the last windows
	 * @param settled whether they agreed within the spread
	 * @param windows how many windows ran
	 */
	record Steady(double requestsPerSecond, boolean settled, int windows) {
	}

}
