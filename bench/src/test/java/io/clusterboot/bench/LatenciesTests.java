package io.clusterboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTests {

	@Test
	void percentilesByNearestRank() {
		long[] nanos = new long[100];
		for (int i = 0; i < nanos.length; i++) {
			// 1 to 100 ms, shuffled by a stride coprime to 100
			nanos[i] = ((i * 37) % 100 + 1) * 1_000_000L;
		}
		Latencies latencies = Latencies.ofNanos(nanos);
		assertThat(latencies.count()).isEqualTo(100);
		assertThat(latencies.p50Millis()).isEqualTo(50.0);
		assertThat(latencies.p99Millis()).isEqualTo(99.0);
		assertThat(latencies.maxMillis()).isEqualTo(100.0);
	}

	@Test
	void oneLatencyIsEveryPercentile() {
		assertThat(Latencies.ofNanos(new long[] { 2_500_000 })).isEqualTo(new Latencies(1, 2.5, 2.5, 2.5));
	}

	@Test
	void noLatencyHasNoPercentiles() {
		assertThat(Latencies.ofNanos(new long[0]).p99Millis()).isNaN();
	}

}
