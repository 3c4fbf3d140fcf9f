package io.clusterboot.primary;

import io.clusterboot.protocol.WorkerContract;

/**
 * Workers kept exiting right after they started, so the cluster stopped instead of
 * restarting them forever.
 */
public class CrashLoopException extends RuntimeException {

	private final int workerId;

	private final int exitCode;

	private final int failures;

	CrashLoopException(int workerId, int exitCode, String exit, int failures, boolean becameReady) {
		this("Worker " + workerId + " " + exit + " "
				+ (becameReady ? "shortly after it became ready" : "before it became ready") + ", " + failures
				+ " times in a row; stopping the cluster", workerId, exitCode, failures);
	}

	/**
	 * A worker stopped on an error in its configuration, which a restart would meet
	 * again.
	 * @param workerId the worker
	 * @param exit how it exited
	 * @return the failure
	 */
	static CrashLoopException configurationError(int workerId, String exit) {
		return new CrashLoopException("Worker " + workerId + " " + exit
				+ " before it became ready, on an error in its configuration that a restart would meet again; "
				+ "stopping the cluster", workerId, WorkerContract.CONFIGURATION_ERROR_EXIT_CODE, 1);
	}

	private CrashLoopException(String message, int workerId, int exitCode, int failures) {
		super(message);
		this.workerId = workerId;
		this.exitCode = exitCode;
		this.failures = failures;
	}

	public int getWorkerId() {
		return this.workerId;
	}

	public int getExitCode() {
		return this.exitCode;
	}

	public int getFailures() {
		return this.failures;
	}

}
