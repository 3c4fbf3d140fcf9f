package io.clusterboot.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputTests {

	@Test
	void steadyIsTheMeanOfTheLastWindowsWhenTheyAgree() {
		Throughput.Steady steady = Throughput.steady(List.of(1000.0, 3000.0, 4900.0, 5000.0, 5100.0));
		assertThat(steady.requestsPerSecond()).isCloseTo(5000, within(0.01));
		assertThat(steady.settled()).isTrue();
		assertThat(steady.windows()).isEqualTo(5);
	}

	@Test
	void windowsStillClimbingAreNotSettled() {
		Throughput.Steady steady = Throughput.steady(List.of(1000.0, 3000.0, 4000.0, 5000.0));
		assertThat(steady.settled()).isFalse();
		assertThat(steady.requestsPerSecond()).isCloseTo(4000, within(0.01));
	}

	@Test
	void fewerWindowsThanNeededAreNotSettled() {
		assertThat(Throughput.steady(List.of(5000.0, 5000.0)).settled()).isFalse();
		assertThat(Throughput.steady(List.of()).requestsPerSecond()).isZero();
	}

	@Test
	void secondsToReachCountsTheWholeSmoothedSpan() {
		long[] perSecond = { 100, 200, 900, 1000, 1000, 1000, 1000, 1000, 1000 };
		// Seconds 2..6 average 980 and are the first five to reach 900
		assertThat(Throughput.secondsToReach(perSecond, 0, 900)).isEqualTo(7);
		// Counting from second 3, the span still holds the slow seconds before it
		assertThat(Throughput.secondsToReach(perSecond, 3, 900)).isEqualTo(4);
		assertThat(Throughput.secondsToReach(perSecond, 7, 900)).isEqualTo(1);
	}

	@Test
	void oneFastSecondIsNotWarm() {
		long[] perSecond = { 0, 0, 5000, 0, 0, 0, 0 };
		assertThat(Throughput.secondsToReach(perSecond, 0, 1500)).isEqualTo(-1);
	}

	@Test
	void lowestSecondOfASpanClippedToTheSeries() {
		long[] perSecond = { 5, 1, 7, 3, 9 };
		assertThat(Throughput.lowest(perSecond, 2, 10)).isEqualTo(3);
		assertThat(Throughput.lowest(perSecond, 0, 5)).isEqualTo(1);
		assertThat(Throughput.lowest(perSecond, 6, 10)).isEqualTo(-1);
	}

	@Test
	void shortfallCountsOnlySecondsBelowTheRate() {
		long[] perSecond = { 1000, 0, 500, 1200, 1000, 250 };
		// 1000 + 500 short in seconds 1 and 2; the 200 above the rate in second 3 does not
		// make up for them
		assertThat(Throughput.shortfallSeconds(perSecond, 1, 3, 1000)).isCloseTo(1.5, within(0.001));
		assertThat(Throughput.shortfallSeconds(perSecond, 0, 6, 1000)).isCloseTo(2.25, within(0.001));
	}

	@Test
	void shortfallOfASpanPastTheSeriesIsUnknown() {
		long[] perSecond = { 1000, 0, 500 };
		assertThat(Throughput.shortfallSeconds(perSecond, 1, 3, 1000)).isEqualTo(-1);
		assertThat(Throughput.shortfallSeconds(perSecond, -1, 2, 1000)).isEqualTo(-1);
		assertThat(Throughput.shortfallSeconds(perSecond, 0, 3, 0)).isEqualTo(-1);
	}

	@Test
	void median() {
		assertThat(Throughput.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
		assertThat(Throughput.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
		assertThat(Throughput.median(List.of())).isNaN();
	}

}
