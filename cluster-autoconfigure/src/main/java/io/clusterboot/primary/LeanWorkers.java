package io.clusterboot.primary;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Memory defaults for worker JVMs, each applied only where the user's launch does not
 * set it. A worker is one of N JVMs on the machine, so what one JVM keeps and never
 * uses costs N times.
 * <ul>
 * <li>{@code MALLOC_ARENA_MAX=2}: glibc gives each thread that allocates its own arena,
 * up to 8 per core, and a Tomcat worker has hundreds of threads; the JVM allocates its
 * heap itself, so few arenas suffice.</li>
 * <li>{@code -XX:TrimNativeHeapInterval}: the JVM returns freed C heap (compiler
 * arenas, for example) to the operating system, where the JVM has the option (JDK
 * 17.0.9 and later).</li>
 * </ul>
 */
final class LeanWorkers {

	static final String ARENAS_VARIABLE = "MALLOC_ARENA_MAX";

	static final String ARENAS = "2";

	static final String TRIM_OPTION = "-XX:TrimNativeHeapInterval=";

	static final String TRIM_INTERVAL_MILLIS = "5000";

	private final boolean trimSupported;

	LeanWorkers(boolean trimSupported) {
		this.trimSupported = trimSupported;
	}

	/**
	 * Lean defaults for workers that run on this JVM's {@code java}.
	 * @return the defaults this JVM supports
	 */
	static LeanWorkers forThisJvm() {
		return new LeanWorkers(hasOption("TrimNativeHeapInterval"));
	}

	private static boolean hasOption(String name) {
		try {
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Add the JVM options, before the jar or main class.
	 * @param command a worker's command line
	 * @return the command line with the defaults the user did not set
	 */
	List<String> command(List<String> command) {
		if (!this.trimSupported || command.stream().anyMatch((option) -> option.startsWith(TRIM_OPTION))) {
			return command;
		}
		List<String> lean = new ArrayList<>(command);
		lean.add(1, TRIM_OPTION + TRIM_INTERVAL_MILLIS);
		return lean;
	}

	/**
	 * Add the environment variables.
	 * @param environment a worker's environment, inherited from the primary
	 */
	void environment(Map<String, String> environment) {
		environment.putIfAbsent(ARENAS_VARIABLE, ARENAS);
	}

}
