package io.clusterboot.primary;

import java.util.Map;

import io.clusterboot.protocol.WorkerContract;

/**
 * Describes a worker's exit code as an operator reads it: a JVM that a signal killed
 * exits with 128 plus the signal's number.
 */
final class ExitCode {

	private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
			Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
			Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
			Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
			Map.entry(15, "SIGTERM"));

	private ExitCode() {
	}

	/**
	 * Describe an exit code.
	 * @param code the exit code
	 * @param killedByPrimary whether the primary sent the worker SIGKILL
	 * @return for example {@code exited with code 1}, or
	 * {@code exited on SIGKILL (137): killed, possibly out of memory}
	 */
	static String describe(int code, boolean killedByPrimary) {
		String signal = SIGNALS.get(code - 128);
		if (code == WorkerContract.CONFIGURATION_ERROR_EXIT_CODE) {
			return "exited with code " + code + " (configuration error)";
		}
		if (signal == null) {
			return "exited with code " + code;
		}
		String description = "exited on " + signal + " (" + code + ")";
		return switch (signal) {
			case "SIGKILL" -> description + (killedByPrimary ? ": killed by the primary" : ": killed, possibly out of memory");
			case "SIGSEGV", "SIGBUS", "SIGABRT", "SIGILL", "SIGFPE" -> description + ": the JVM crashed";
			default -> description;
		};
	}

}
