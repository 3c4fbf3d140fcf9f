package io.clusterboot.primary;

/**
 * Workers kept exiting right after they started, so the cluster stopped instead of
 * restarting them forever.
 */
public class CrashLoopException extends RuntimeException {

	private final int workerId;

	private final int exitCode;

	private final int failures;

	CrashLoopException(int workerId, int exitCode, String exit, int failures, boolean becameReady) {
		super("Worker " + workerId + " " + exit + " "
				+ (becameReady ? "shortly after it became ready" : "before it became ready") + ", " + failures
				+ " times in a row; stopping the cluster");
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
