package io.clusterboot.primary;

import java.time.Instant;

/**
 * The supervisor's time: a monotonic clock for deadlines and the wall clock for what it
 * reports. Tests move it by hand.
 */
interface Ticker {

	/**
	 * The system's clocks.
	 */
	Ticker SYSTEM = new Ticker() {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public Instant now() {
			return Instant.now();
		}

	};

	/**
	 * A monotonic time, for deadlines.
	 * @return nanoseconds from an arbitrary origin
	 */
	long nanoTime();

	/**
	 * The wall clock, for reports.
	 * @return the current instant
	 */
	Instant now();

}
