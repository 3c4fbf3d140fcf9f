package io.clusterboot.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, by the nearest-rank method.
 *
 * @param count how many latencies
 * @param p50Millis the median
 * @param p99Millis the 99th percentile
 * @param maxMillis the largest
 */
record Latencies(int count, double p50Millis, double p99Millis, double maxMillis) {

	private static final double NANOS_PER_MILLI = 1_000_000.0;

	static Latencies ofNanos(long[] nanos) {
		if (nanos.length == 0) {
			return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
		}
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return new Latencies(sorted.length, percentile(sorted, 50) / NANOS_PER_MILLI,
				percentile(sorted, 99) / NANOS_PER_MILLI, sorted[sorted.length - 1] / NANOS_PER_MILLI);
	}

	static long percentile(long[] sorted, double percent) {
		int rank = (int) Math.ceil(percent / 100 * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

}
