package io.clusterboot.posix;

import java.io.IOException;

/**
 * How the primary starts every process, so that a JDK upgraded in place under it (a
 * distribution's package update keeps the JDK's path) does not stop it from launching
 * workers. By default the JDK starts a process through its {@code jspawnhelper}, and a
 * new build's helper refuses the JVM that is still running the old one; fork and exec
 * need no helper.
 */
public final class ProcessLaunches {

	private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

	/**
	 * From JDK 21 on, the first {@code System.getenv()} fixes the mechanism (JDK-8300916),
	 * long before the primary exists: only the launch can set it there.
	 */
	private static final int FIXED_AT_FIRST_GETENV = 21;

	private static final String REFUSED_BY_SPAWN_HELPER = "spawn helper";

	private ProcessLaunches() {
	}

	/**
	 * Have this JVM start processes by fork and exec where the JDK still reads that
	 * choice when it starts its first process, unless the launch chose. Called as the
	 * primary begins, before anything else starts a process: JNA itself may, as it looks
	 * for a library with {@code ldconfig -p} the first time the primary calls the C
	 * library. The primary runs no application code; only a start that launched workers
	 * ahead and then runs as one JVM keeps the choice for the application, which changes
	 * how its own processes start, not what they do.
	 */
	public static void forkWhereTheJdkAllows() {
		if (Runtime.version().feature() < FIXED_AT_FIRST_GETENV && System.getProperty(LAUNCH_MECHANISM) == null) {
			System.setProperty(LAUNCH_MECHANISM, "FORK");
		}
	}

	/**
	 * Start a process.
	 * @param builder the process
	 * @return the started process
	 * @throws IOException if it cannot be started, saying what to do where the JDK's
	 * spawn helper refused this JVM
	 */
	public static Process start(ProcessBuilder builder) throws IOException {
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw explained(ex);
		}
	}

	/**
	 * A failed start, explained where the JDK's spawn helper refused this JVM.
	 * @param ex why a process did not start
	 * @return the same exception, or one that says what happened and what to do
	 */
	static IOException explained(IOException ex) {
		if (ex.getMessage() == null || !ex.getMessage().contains(REFUSED_BY_SPAWN_HELPER)) {
			return ex;
		}
		return new IOException(ex.getMessage() + "; the JDK at " + System.getProperty("java.home")
				+ " was probably replaced under this running primary, and its spawn helper refuses this JVM: "
				+ "restart the service to run the new JDK (launching with -D" + LAUNCH_MECHANISM
				+ "=FORK keeps a JDK upgrade from stopping launches)", ex);
	}

}
