package io.clusterboot.bench;

import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchTests {

	@Test
	void seriesFillsSilentSecondsAndLeavesOutThePartialLastOne() {
		SortedMap<Long, Long> perEpochSecond = new TreeMap<>();
		perEpochSecond.put(100L, 5L);
		perEpochSecond.put(101L, 50L);
		perEpochSecond.put(103L, 40L);
		perEpochSecond.put(104L, 7L);
		assertThat(Bench.series(perEpochSecond, 101)).containsExactly(50, 0, 40);
	}

}
