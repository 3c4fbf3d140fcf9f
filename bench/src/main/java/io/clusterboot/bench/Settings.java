package io.clusterboot.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's settings, from the environment that {@code bench/run.sh} documents.
 *
 * @param java the java executable every JVM runs with
 * @param jar the application jar (a private copy)
 * @param work the directory for logs, snapshots and nginx files
 * @param wrkScript {@code wrk-report.lua}
 * @param classes the benchmark's compiled classes, for {@link LeanPrimary}
 * @param port the first port; each configuration uses a few above it
 * @param workers the number of worker JVMs (and of plain JVMs of the peers)
 * @param connections wrk connections
 * @param threads wrk threads
 * @param path the path loaded
 * @param windowSeconds length of one measured window
 * @param maxWindows windows run at most while waiting for the throughput to settle
 * @param starts launches per configuration measured for start to ready
 * @param reloads rolling reloads measured under full load
 * @param sections the parts to run: start, peers (or any of single, nginx, independent),
 * steady, reload, deploy, stomp, lean-primary
 * @param variants named cluster variants compared at steady state and in reloads
 */
record Settings(String java, Path jar, Path work, Path wrkScript, Path classes, int port, int workers, int connections, int threads,
		String path, int windowSeconds, int maxWindows, int starts, int reloads, List<String> sections,
		List<Variant> variants, int messagesPerSecond) {

	/**
	 * The smallest options {@link LeanPrimary} runs a cluster with: the serial collector, a
	 * 16 MB heap, C1 alone with one compiler thread, small stacks and code cache.
	 */
	static final List<String> LEAN_PRIMARY_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx16m", "-Xmn4m",
			"-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-XX:ReservedCodeCacheSize=16m");

	/**
	 * The libraries the starter's supervisor loads classes from, by the start of their
	 * file names.
	 */
	private static final List<String> LEAN_PRIMARY_LIBRARIES = List.of("cluster-autoconfigure-", "jna-", "jackson-",
			"spring-core-", "spring-boot-4", "spring-boot-web-server-", "spring-beans-", "spring-context-7",
			"commons-logging-", "logback-", "slf4j-api-", "jul-to-slf4j-", "jspecify-");

	/** The sections that {@code peers} stands for. */
	private static final List<String> PEERS = List.of("single", "nginx", "independent");

	static Settings fromEnvironment(Map<String, String> env) {
		int workers = Integer.parseInt(env.getOrDefault("WORKERS",
				Integer.toString(Runtime.getRuntime().availableProcessors())));
		return new Settings(env.getOrDefault("JAVA", "java"), Path.of(env.get("JAR")), Path.of(env.get("WORK")),
				Path.of(env.get("WRK_SCRIPT")), Path.of(env.getOrDefault("BENCH_CLASSES", "bench/target/classes")),
				Integer.parseInt(env.getOrDefault("PORT", "18110")), workers,
				Integer.parseInt(env.getOrDefault("CONNECTIONS", "32")),
				Integer.parseInt(env.getOrDefault("THREADS", "2")), env.getOrDefault("LOAD_PATH", "/hello"),
				Integer.parseInt(env.getOrDefault("WINDOW", "10")),
				Integer.parseInt(env.getOrDefault("MAX_WINDOWS", "9")),
				Integer.parseInt(env.getOrDefault("STARTS", "3")), Integer.parseInt(env.getOrDefault("RELOADS", "2")),
				List.of(env.getOrDefault("SECTIONS", "start peers steady reload").trim().split("\\s+")),
				Variant.parseAll(env.getOrDefault("VARIANTS", "")),
				Integer.parseInt(env.getOrDefault("MESSAGES_PER_SECOND", "1000")));
	}

	URI uri(int port) {
		return URI.create("http://127.0.0.1:" + port + this.path);
	}

	Path snapshots() {
		return this.work.resolve("snapshots");
	}

	/**
	 * The jar a variant runs: the application's, or the private copy of its own.
	 */
	Path jar(Variant variant) {
		return (variant.jar() != null) ? this.work.resolve(variant.name() + ".jar") : this.jar;
	}

	/**
	 * Where a variant's versions live: a variant with a jar of its own gets its own
	 * directory, as a jar at another path would by default.
	 */
	Path snapshots(Variant variant) {
		return (variant.jar() != null) ? this.work.resolve("snapshots-" + variant.name()) : snapshots();
	}

	Path log(String name) {
		return this.work.resolve(name + ".log");
	}

	boolean runs(String section) {
		return this.sections.contains(section) || (PEERS.contains(section) && this.sections.contains("peers"));
	}

	/**
	 * Start the application's JVM on a port, with its output in the work directory.
	 */
	Process startJvm(String name, int port, List<String> options, List<String> arguments) throws IOException {
		return startJvm(name, port, this.jar, options, arguments);
	}

	Process startJvm(String name, int port, Path jar, List<String> options, List<String> arguments)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(options);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.addAll(arguments);
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
			.start();
	}

	/**
	 * Start {@link LeanPrimary} with the smallest JVM options it runs with, and the
	 * starter's own libraries first on its class path, as a primary that needs only them
	 * would list them.
	 * @param libraries the unpacked application's libraries
	 */
	Process startLeanPrimary(String name, int port, List<Path> libraries) throws IOException {
		List<String> command = new ArrayList<>(List.of(this.java));
		command.addAll(LEAN_PRIMARY_OPTIONS);
		command.addAll(List.of("-cp", String.join(":", leanPrimaryClassPath(libraries).stream().map(Path::toString).toList()),
				LeanPrimary.class.getName(), this.jar.toString(), Integer.toString(port),
				Integer.toString(this.workers), snapshots().toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
		builder.environment().put("MALLOC_ARENA_MAX", "2");
		return builder.start();
	}

	/**
	 * The benchmark's classes, then the libraries the supervisor loads from, then the
	 * rest: a class is looked for in each entry in turn, and each jar searched is opened.
	 * @param libraries the unpacked application's libraries
	 * @return the class path
	 */
	List<Path> leanPrimaryClassPath(List<Path> libraries) {
		List<Path> classPath = new ArrayList<>(List.of(this.classes));
		libraries.stream().filter(Settings::isLeanPrimaryLibrary).forEach(classPath::add);
		libraries.stream().filter((library) -> !isLeanPrimaryLibrary(library)).forEach(classPath::add);
		return classPath;
	}

	private static boolean isLeanPrimaryLibrary(Path library) {
		String name = library.getFileName().toString();
		return LEAN_PRIMARY_LIBRARIES.stream().anyMatch(name::startsWith);
	}

	/**
	 * A named set of JVM options ({@code -...}) and program arguments ({@code --...}) for
	 * the cluster, and optionally a jar of its own ({@code ....jar}, such as a build of
	 * the code before a change), written {@code name=option option} and separated by
	 * {@code ;}.
	 *
	 * @param name the name in the report
	 * @param options JVM options
	 * @param arguments program arguments
	 * @param jar the jar it runs instead of the application's, or {@code null}
	 */
	record Variant(String name, List<String> options, List<String> arguments, Path jar) {

		/** The cluster with the application's jar and nothing added. */
		static final Variant DEFAULT = new Variant(Bench.CLUSTER, List.of(), List.of(), null);

		static List<Variant> parseAll(String text) {
			List<Variant> variants = new ArrayList<>();
			for (String part : text.split(";")) {
				if (part.isBlank()) {
					continue;
				}
				int equals = part.indexOf('=');
				if (equals <= 0) {
					throw new IllegalArgumentException("VARIANTS: '" + part + "' is not name=options");
				}
				List<String> options = new ArrayList<>();
				List<String> arguments = new ArrayList<>();
				Path jar = null;
				for (String word : part.substring(equals + 1).trim().split("\\s+")) {
					if (word.startsWith("--")) {
						arguments.add(word);
					}
					else if (word.startsWith("-")) {
						options.add(word);
					}
					else if (word.endsWith(".jar") && jar == null) {
						jar = Path.of(word).toAbsolutePath();
					}
					else if (!word.isEmpty()) {
						throw new IllegalArgumentException(
								"VARIANTS: '" + word + "' is neither -option, --argument nor one path to a .jar");
					}
				}
				variants.add(new Variant(part.substring(0, equals).trim(), options, arguments, jar));
			}
			return variants;
		}

	}

}
