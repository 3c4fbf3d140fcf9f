package io.clusterboot.primary;

/**
 * Why the primary expects a worker to exit, set where it ends the worker. A worker
 * without one that exits has crashed.
 */
enum ExitReason {

	/**
	 * The cluster is stopping.
	 */
	STOPPED("the cluster is stopping"),

	/**
	 * Its id is above the desired count.
	 */
	SCALED_DOWN("scaled down"),

	/**
	 * A new worker with its id became ready: reload, recycle or restart.
	 */
	REPLACED("replaced"),

	/**
	 * It was the replacement of a rollout that was aborted; the worker it was to replace
	 * keeps serving.
	 */
	ABANDONED("its rollout was aborted"),

	/**
	 * It drained on its own, on a SIGTERM the primary did not send; it is replaced at
	 * once.
	 */
	DRAINED("drained on SIGTERM"),

	/**
	 * It stopped sending heartbeats, or stopped reading its control channel; it is
	 * replaced at once.
	 */
	STUCK("stuck"),

	/**
	 * It made no boot progress for {@code cluster.ready-timeout} before it became ready.
	 * Unlike the others, this counts as a failed start: it is restarted with backoff,
	 * and counts towards the crash-loop guard.
	 */
	BOOT_TIMEOUT("no boot progress within cluster.ready-timeout");

	private final String description;

	ExitReason(String description) {
		this.description = description;
	}

	/**
	 * Whether the exit counts as a failure of the worker, like a crash.
	 * @return {@code true} for {@link #BOOT_TIMEOUT}
	 */
	boolean isFailure() {
		return this == BOOT_TIMEOUT;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
