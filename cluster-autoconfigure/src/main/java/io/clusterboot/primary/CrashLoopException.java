package io.clusterboot.primary;

import io.clusterboot.protocol.WorkerContract;

import org.springframework.boot.ExitCodeGenerator;

/**
 * Workers kept exiting right after they started, so the cluster stopped instead of
 * restarting them forever. The primary exits with 78 ({@code EX_CONFIG}) after a
 * configuration error, which systemd's {@code RestartPreventExitStatus=78} keeps from
 * restarting, and with 1 otherwise.
 */
public class CrashLoopException extends RuntimeException implements ExitCodeGenerator {

	private final int workerId;

	private final int workerExitCode;

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
		this.workerExitCode = exitCode;
		this.failures = failures;
	}

	public int getWorkerId() {
		return this.workerId;
	}

	/**
	 * How the last failed worker exited.
	 * @return its exit code
	 */
	public int getWorkerExitCode() {
		return this.workerExitCode;
	}

	/**
	 * The primary's exit code.
	 * @return 78 after a configuration error, 1 otherwise
	 */
	@Override
	public int getExitCode() {
		return isConfigurationError() ? WorkerContract.CONFIGURATION_ERROR_EXIT_CODE : 1;
	}

	/**
	 * Whether a worker stopped on an error in its configuration.
	 * @return whether it did
	 */
	public boolean isConfigurationError() {
		return this.workerExitCode == WorkerContract.CONFIGURATION_ERROR_EXIT_CODE;
	}

	public int getFailures() {
		return this.failures;
	}

}
