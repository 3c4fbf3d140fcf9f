package io.clusterboot.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one wrk run reported through {@code wrk-report.lua}: a {@code RESULT} line of
 * totals and one {@code BUCKET epoch-second count} line per second.
 *
 * @param requests responses received
 * @param durationMicros how long the run lasted
 * @param socketErrors connect, read, write and timeout errors
 * @param non2xx responses with another status than 2xx
 * @param p99Micros 99th percentile latency
 * @param maxMicros the slowest response
 * @param perEpochSecond responses received in each wall-clock second
 */
record WrkResult(long requests, long durationMicros, long socketErrors, long non2xx, long p99Micros,
		long maxMicros, SortedMap<Long, Long> perEpochSecond) {

	static WrkResult parse(String output) {
		Map<String, String> totals = new HashMap<>();
		SortedMap<Long, Long> buckets = new TreeMap<>();
		for (String line : output.split("\n")) {
			if (line.startsWith("RESULT ")) {
				for (String field : line.substring("RESULT ".length()).trim().split(" ")) {
					int equals = field.indexOf('=');
					if (equals > 0) {
						totals.put(field.substring(0, equals), field.substring(equals + 1));
					}
				}
			}
			else if (line.startsWith("BUCKET ")) {
				String[] parts = line.trim().split(" ");
				buckets.merge(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long::sum);
			}
		}
		if (!totals.containsKey("requests")) {
			throw new IllegalArgumentException("wrk printed no RESULT line: " + tail(output));
		}
		long errors = number(totals, "connect") + number(totals, "read") + number(totals, "write")
				+ number(totals, "timeout");
		return new WrkResult(number(totals, "requests"), number(totals, "duration_us"), errors,
				number(totals, "non2xx"), number(totals, "p99_us"), number(totals, "max_us"), buckets);
	}

	private static long number(Map<String, String> totals, String name) {
		return Long.parseLong(totals.getOrDefault(name, "0"));
	}

	private static String tail(String output) {
		return output.substring(Math.max(0, output.length() - 300)).strip();
	}

	double requestsPerSecond() {
		return (this.durationMicros > 0) ? this.requests * 1e6 / this.durationMicros : 0;
	}

	long errors() {
		return this.socketErrors + this.non2xx;
	}

}
