package io.clusterboot.primary;

import java.time.Duration;

/**
 * The service manager that started the primary, such as systemd, told how the cluster is
 * doing: the supervisor calls it from its loop.
 */
interface ServiceManager {

	/**
	 * No service manager listens.
	 */
	ServiceManager NONE = new ServiceManager() {
	};

	/**
	 * Every desired worker is ready: at the first start, and when a reload ended.
	 */
	default void ready() {
	}

	/**
	 * A reload started.
	 * @param monotonicMicros when, on {@code CLOCK_MONOTONIC}
	 */
	default void reloading(long monotonicMicros) {
	}

	/**
	 * The cluster stops.
	 */
	default void stopping() {
	}

	/**
	 * The cluster's state changed.
	 * @param status a one-line summary
	 */
	default void status(String status) {
	}

	/**
	 * How often the supervisor must show it is alive, if the service manager watches it.
	 * @return the interval between keep-alives, or {@code null} without a watchdog
	 */
	default Duration watchdogInterval() {
		return null;
	}

	/**
	 * The supervisor's loop is alive.
	 */
	default void watchdog() {
	}

}
