package io.clusterboot.primary;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.management.JMException;
import javax.management.ObjectName;

import io.clusterboot.posix.Niceness;

/**
 * Keeps C2 out of the primary's own JIT. The primary supervises and relays; it never runs
 * the application's hot code, so the code C1 compiles is fast enough for it. C2 would
 * spend a core-second or more compiling the primary's own start, while the workers it
 * just launched need every core to boot. Done with a compiler directive, the runtime
 * equivalent of {@code -XX:CompileCommand}, which the user's launch of the primary
 * cannot be asked to carry.
 */
public final class PrimaryCompiler {

	private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";

	/**
	 * All but SHA-256, which the primary runs over every new jar it is given: C2 compiles
	 * it to the CPU's SHA instructions, ten times faster than C1's code.
	 */
	private static final String WITHOUT_C2 = "[{ match: \"sun.security.provider.*::*\", c2: { Exclude: false } }, "
			+ "{ match: \"*.*\", c2: { Exclude: true } }]";

	/**
	 * The directives above: each is removed on its own.
	 */
	private static final int DIRECTIVE_COUNT = 2;

	/**
	 * The nice value of the primary's compiler threads, so that they never take CPU from
	 * booting workers.
	 */
	private static final int COMPILER_NICENESS = 19;

	private static boolean withoutC2;

	private static boolean yielded;

	private PrimaryCompiler() {
	}

	/**
	 * Give the CPU to the workers from now on: the compiler threads at nice 19, and no
	 * C2. Called as the first workers are launched, ahead or not; a start launched ahead
	 * reaches both calls, and yields once.
	 */
	static synchronized void yieldToWorkers() {
		if (!yielded) {
			yielded = true;
			Niceness.setForCompilerThreads(COMPILER_NICENESS);
			leaveC2Out();
		}
	}

	/**
	 * From now on, compile this JVM's methods with C1 only.
	 * @return {@code true} if the JVM took the directive, {@code false} if it has no
	 * diagnostic commands (not HotSpot)
	 */
	public static synchronized boolean leaveC2Out() {
		if (withoutC2) {
			return true;
		}
		try {
			Path directives = Files.createTempFile("cluster-primary-compiler", ".json");
			try {
				Files.writeString(directives, WITHOUT_C2);
				diagnosticCommand("compilerDirectivesAdd", directives.toString());
				withoutC2 = true;
				return true;
			}
			finally {
				Files.deleteIfExists(directives);
			}
		}
		catch (IOException | JMException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Let C2 compile again, for a JVM that turns out not to be a primary. Methods that C2
	 * was asked for meanwhile stay with C1.
	 */
	public static synchronized void restore() {
		if (withoutC2) {
			try {
				for (int i = 0; i < DIRECTIVE_COUNT; i++) {
					diagnosticCommand("compilerDirectivesRemove");
				}
				withoutC2 = false;
			}
			catch (JMException | RuntimeException ex) {
				// Stays without C2: slower, not wrong
			}
		}
	}

	private static void diagnosticCommand(String name, String... arguments) throws JMException {
		ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName(DIAGNOSTIC_COMMANDS), name, new Object[] { arguments },
					new String[] { String[].class.getName() });
	}

}
