package io.clusterboot.primary;

import java.time.Duration;

/**
 * Exponential restart delay: the initial delay, doubled for each consecutive failure, up
 * to a maximum.
 *
 * @param initialDelay the delay after the first failure
 * @param maxDelay the upper bound
 */
record RestartBackoff(Duration initialDelay, Duration maxDelay) {

	/**
	 * The delay before restarting after the given number of consecutive failures.
	 * @param failures consecutive failures, at least 1
	 * @return the delay
	 */
	Duration delay(int failures) {
		int doublings = Math.min(Math.max(failures - 1, 0), 30);
		Duration delay = this.initialDelay.multipliedBy(1L << doublings);
		return (delay.compareTo(this.maxDelay) > 0) ? this.maxDelay : delay;
	}

}
