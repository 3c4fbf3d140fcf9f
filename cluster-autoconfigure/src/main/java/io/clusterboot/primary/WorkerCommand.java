package io.clusterboot.primary;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Rebuilds the primary's own launch as the command line of a worker: the same
 * {@code java}, JVM options, jar or class path and main class, and program arguments.
 * <p>
 * Options that can only be held by one process, the debugger's and the JMX port, are
 * left out, since every worker would fail to bind them.
 */
public final class WorkerCommand {

	/**
	 * Environment variables the JVM reads options from. They are already part of the
	 * primary's JVM arguments, which are passed on explicitly, so they are removed from
	 * the workers' environment to avoid applying them twice.
	 */
	public static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
			"_JAVA_OPTIONS");

	private static final List<String> SINGLE_PROCESS_OPTIONS = List.of("-agentlib:jdwp", "-Xrunjdwp",
			"-Dcom.sun.management.jmxremote.port=", "-Dcom.sun.management.jmxremote.rmi.port=");

	private static final List<String> ENTRY_POINTS = List.of("-jar", "-cp");

	private static final String ACTIVE_PROCESSOR_COUNT = "-XX:ActiveProcessorCount=";

	private WorkerCommand() {
	}

	/**
	 * Build the command line of a worker.
	 * @param launch the primary's launch
	 * @param extraJvmOptions options appended after the primary's own
	 * @param warnings receives one message for each option that was left out
	 * @return the worker's command line
	 * @throws IllegalStateException if the launch cannot be repeated
	 */
	public static List<String> of(JvmLaunch launch, List<String> extraJvmOptions, Consumer<String> warnings) {
		List<String> command = new ArrayList<>();
		command.add(launch.javaExecutable());
		for (String option : launch.jvmArguments()) {
			if (isSingleProcessOption(option)) {
				warnings.accept("Not passing " + option + " to workers: only one process can hold it");
			}
			else {
				command.add(option);
			}
		}
		command.addAll(extraJvmOptions);
		command.addAll(entryPoint(launch));
		command.addAll(launch.programArguments());
		return command;
	}

	/**
	 * Tell a worker JVM how many processors are its share, unless its command already
	 * says, so that N workers do not each size their garbage collector, JIT compiler and
	 * thread pools for the whole machine. With one processor, the JVM also picks the
	 * serial collector, whose pauses are short on a worker's small heap.
	 * @param command a worker's command line
	 * @param processors the processors this worker may count on
	 * @return the command line with {@code -XX:ActiveProcessorCount}
	 */
	public static List<String> withProcessorShare(List<String> command, int processors) {
		if (activeProcessorCount(command).isPresent()) {
			return command;
		}
		List<String> shared = new ArrayList<>(command);
		shared.add(1, ACTIVE_PROCESSOR_COUNT + Math.max(1, processors));
		return shared;
	}

	/**
	 * The processor count a worker's command line tells its JVM, if it does.
	 * @param command a worker's command line
	 * @return the count of its last {@code -XX:ActiveProcessorCount}, the one the JVM
	 * takes
	 */
	static OptionalInt activeProcessorCount(List<String> command) {
		OptionalInt count = OptionalInt.empty();
		for (String option : jvmOptions(command)) {
			if (option.startsWith(ACTIVE_PROCESSOR_COUNT)) {
				try {
					count = OptionalInt.of(Integer.parseInt(option.substring(ACTIVE_PROCESSOR_COUNT.length())));
				}
				catch (NumberFormatException ex) {
					// The JVM refuses to start with it, and says why
				}
			}
		}
		return count;
	}

	/**
	 * The JVM options of a worker's command line: what comes between {@code java} and
	 * the jar or class path, not the application's arguments after them.
	 * @param command a worker's command line
	 * @return its JVM options
	 */
	static List<String> jvmOptions(List<String> command) {
		for (int i = 1; i < command.size(); i++) {
			if (ENTRY_POINTS.contains(command.get(i))) {
				return command.subList(1, i);
			}
		}
		return command.subList(1, command.size());
	}

	/**
	 * The jar a {@code java -jar} command line runs.
	 * @param command a worker's command line
	 * @return the jar's absolute path, or {@code null} for a class path launch
	 */
	public static Path jarOf(List<String> command) {
		int jar = command.indexOf("-jar");
		return (jar >= 0 && jar + 1 < command.size()) ? Path.of(command.get(jar + 1)).toAbsolutePath() : null;
	}

	/**
	 * A {@code java -jar} command line that runs another jar.
	 * @param command a worker's command line
	 * @param jar the jar to run instead
	 * @return the command line with the other jar
	 */
	static List<String> withJar(List<String> command, Path jar) {
		List<String> changed = new ArrayList<>(command);
		changed.set(command.indexOf("-jar") + 1, jar.toString());
		return changed;
	}

	private static boolean isSingleProcessOption(String option) {
		return SINGLE_PROCESS_OPTIONS.stream().anyMatch(option::startsWith);
	}

	private static List<String> entryPoint(JvmLaunch launch) {
		String javaCommand = launch.javaCommand();
		String classPath = launch.classPath();
		// 'java -jar app.jar' sets the class path to exactly the jar it runs
		if (!classPath.isEmpty() && !classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")
				&& javaCommand.startsWith(classPath)) {
			return List.of("-jar", classPath);
		}
		String mainClass = javaCommand.split(" ", 2)[0];
		if (mainClass.isEmpty() || mainClass.contains("/") || mainClass.endsWith(".java")) {
			throw new IllegalStateException("Cannot launch workers the way this JVM was launched ('" + javaCommand
					+ "'): cluster mode supports 'java -jar', and a class path with a main class");
		}
		return List.of("-cp", classPath, mainClass);
	}

}
