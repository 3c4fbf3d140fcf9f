package io.clusterboot.primary;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * How the running JVM was launched: everything needed to launch it again.
 *
 * @param javaExecutable the {@code java} binary
 * @param jvmArguments the JVM options, including those the JVM read from
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}
 * @param classPath the value of {@code java.class.path}
 * @param javaCommand the value of {@code sun.java.command}: the jar or main class, then
 * the program arguments
 * @param programArguments the arguments the application's {@code main} received
 */
public record JvmLaunch(String javaExecutable, List<String> jvmArguments, String classPath, String javaCommand,
		List<String> programArguments) {

	/**
	 * Describe the current JVM.
	 * @param programArguments the arguments passed to {@code SpringApplication.run}
	 * @return the launch of this JVM
	 */
	public static JvmLaunch current(List<String> programArguments) {
		String java = ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> System.getProperty("java.home") + "/bin/java");
		return new JvmLaunch(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
				System.getProperty("java.class.path", ""), System.getProperty("sun.java.command", ""),
				programArguments);
	}

}
