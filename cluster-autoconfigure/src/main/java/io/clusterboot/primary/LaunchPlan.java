package io.clusterboot.primary;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.ClusterProperties;
import io.clusterboot.posix.PrivateDirectory;
import io.clusterboot.primary.snapshot.Sha256;

/**
 * What Spring Boot's environment decided about launching workers: every value a launch
 * depends on that the environment gives. The primary records the plan of each start, so
 * that the next start of the same command line can launch its workers as soon as its JVM
 * runs, before the environment exists, and check the plan against the environment once
 * it does.
 *
 * @param workerCommand a worker's command line, before the version and the lean defaults
 * @param workerJvmOptions {@code cluster.worker-jvm-options}, part of the command line
 * @param instances the number of workers
 * @param listen {@code cluster.listen}
 * @param address {@code server.address}, {@code null} for every address
 * @param port {@code server.port}
 * @param backlog {@code server.tomcat.accept-count}
 * @param snapshots the directory of versioned snapshots, {@code null} to run the jar
 * @param classDataSharing {@code cluster.class-data-sharing}
 * @param leanWorkers {@code cluster.lean-workers}
 * @param shareProcessors {@code cluster.share-processors}
 * @param cpuAffinity {@code cluster.cpu-affinity}
 */
public record LaunchPlan(List<String> workerCommand, List<String> workerJvmOptions, int instances, Listen listen,
		InetAddress address, int port, int backlog, Path snapshots, boolean classDataSharing, boolean leanWorkers,
		boolean shareProcessors, boolean cpuAffinity) {

	private static final String FILE_PREFIX = "launch-plan-";

	private static final String FILE_SUFFIX = ".properties";

	/**
	 * How many plans, one per command line, a directory keeps: the most recent.
	 */
	private static final int KEPT_PLANS = 16;

	private static final String SNAPSHOTS_PROPERTY = "cluster.snapshots.directory";

	private static final String FORMAT = "1";

	public LaunchPlan {
		workerCommand = List.copyOf(workerCommand);
		workerJvmOptions = List.copyOf(workerJvmOptions);
		Objects.requireNonNull(listen, "listen");
	}

	/**
	 * The plan the environment gives.
	 * @param properties the cluster's configuration
	 * @param instances the resolved number of workers
	 * @param workerCommand a worker's command line
	 * @param address {@code server.address}
	 * @param port {@code server.port}
	 * @param backlog {@code server.tomcat.accept-count}
	 * @return the plan
	 */
	public static LaunchPlan of(ClusterProperties properties, int instances, List<String> workerCommand,
			InetAddress address, int port, int backlog) {
		Path bootJar = WorkerCommand.jarOf(workerCommand);
		Path snapshots = (bootJar != null && properties.getSnapshots().isEnabled())
				? properties.getSnapshots().directoryFor(bootJar) : null;
		return new LaunchPlan(workerCommand, properties.getWorkerJvmOptions(), instances, properties.getListen(),
				address, port, backlog, snapshots, properties.isClassDataSharing(), properties.isLeanWorkers(),
				properties.isShareProcessors(), properties.isCpuAffinity());
	}

	/**
	 * The jar workers run.
	 * @return the jar, or {@code null} for a class path launch
	 */
	public Path bootJar() {
		return WorkerCommand.jarOf(this.workerCommand);
	}

	/**
	 * The names of the values that differ between two plans, to say why a plan was not
	 * followed.
	 * @param other the other plan
	 * @return the names, such as {@code instances} or {@code worker-command}
	 */
	public Set<String> differencesFrom(LaunchPlan other) {
		Map<String, String> mine = flatten(toProperties());
		Map<String, String> theirs = flatten(other.toProperties());
		Set<String> keys = new TreeSet<>(mine.keySet());
		keys.addAll(theirs.keySet());
		Set<String> differences = new TreeSet<>();
		for (String key : keys) {
			if (!Objects.equals(mine.get(key), theirs.get(key))) {
				differences.add(key.replaceFirst("\\.(\\d+|count)$", ""));
			}
		}
		return differences;
	}

	private static Map<String, String> flatten(Properties properties) {
		Map<String, String> flat = new TreeMap<>();
		properties.stringPropertyNames().forEach((name) -> flat.put(name, properties.getProperty(name)));
		return flat;
	}

	/**
	 * Where the plan of a command line is recorded: next to the jar's snapshots, as far
	 * as the command line, the system properties and the environment variables say
	 * before the configuration files are read, one file per command line. A plan is only
	 * read from a directory that is this user's alone, since it decides the workers'
	 * command line.
	 * @param launchCommand the primary's command line, as a worker's without
	 * {@code cluster.worker-jvm-options}
	 * @param environment the process's environment variables
	 * @return the plan's file, or {@code null} for a class path launch
	 */
	public static Path fileFor(List<String> launchCommand, Map<String, String> environment) {
		Path bootJar = WorkerCommand.jarOf(launchCommand);
		if (bootJar == null) {
			return null;
		}
		String directory = null;
		for (String argument : launchCommand.subList(launchCommand.indexOf("-jar") + 2, launchCommand.size())) {
			if (argument.startsWith("--" + SNAPSHOTS_PROPERTY + "=")) {
				directory = argument.substring(SNAPSHOTS_PROPERTY.length() + 3);
			}
		}
		if (directory == null) {
			directory = System.getProperty(SNAPSHOTS_PROPERTY);
		}
		if (directory == null) {
			directory = environment.get("CLUSTER_SNAPSHOTS_DIRECTORY");
		}
		ClusterProperties.Snapshots snapshots = new ClusterProperties.Snapshots();
		if (directory != null && !directory.isBlank()) {
			snapshots.setDirectory(Path.of(directory));
		}
		return snapshots.directoryFor(bootJar).resolve(FILE_PREFIX + digest(launchCommand) + FILE_SUFFIX);
	}

	/**
	 * Names a command line's plan: its words, each ended by a NUL, which no word holds.
	 */
	private static String digest(List<String> command) {
		StringBuilder words = new StringBuilder();
		command.forEach((word) -> words.append(word).append('\0'));
		return Sha256.nameOf(words.toString());
	}

	/**
	 * Record this plan, replacing the one before.
	 * @param file where to record it
	 * @throws IOException if it cannot be written, or its directory is not this user's
	 * alone
	 */
	public void save(Path file) throws IOException {
		PrivateDirectory.createOrCheck(file.getParent());
		PrivateDirectory.writeProperties(file, toProperties(),
				"How the previous start of a command line launched workers; deleting it is safe");
		PrivateDirectory.keepNewest(file.getParent(), FILE_PREFIX, FILE_SUFFIX, KEPT_PLANS);
	}

	/**
	 * Read a recorded plan.
	 * @param file where it was recorded
	 * @return the plan, or {@code null} if there is none
	 * @throws IOException if it cannot be read, is malformed, or its directory is not
	 * this user's alone
	 */
	public static LaunchPlan load(Path file) throws IOException {
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		PrivateDirectory.check(file.getParent());
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(file)) {
			properties.load(in);
		}
		try {
			return fromProperties(properties);
		}
		catch (RuntimeException ex) {
			throw new IOException("Malformed launch plan " + file + ": " + ex.getMessage(), ex);
		}
	}

	Properties toProperties() {
		Properties properties = new Properties();
		properties.setProperty("format", FORMAT);
		putList(properties, "worker-command", this.workerCommand);
		putList(properties, "worker-jvm-options", this.workerJvmOptions);
		properties.setProperty("instances", Integer.toString(this.instances));
		properties.setProperty("listen", this.listen.name());
		if (this.address != null) {
			properties.setProperty("address", this.address.getHostAddress());
		}
		properties.setProperty("port", Integer.toString(this.port));
		properties.setProperty("backlog", Integer.toString(this.backlog));
		if (this.snapshots != null) {
			properties.setProperty("snapshots", this.snapshots.toString());
		}
		properties.setProperty("class-data-sharing", Boolean.toString(this.classDataSharing));
		properties.setProperty("lean-workers", Boolean.toString(this.leanWorkers));
		properties.setProperty("share-processors", Boolean.toString(this.shareProcessors));
		properties.setProperty("cpu-affinity", Boolean.toString(this.cpuAffinity));
		return properties;
	}

	static LaunchPlan fromProperties(Properties properties) {
		if (!FORMAT.equals(properties.getProperty("format"))) {
			throw new IllegalArgumentException("unknown format " + properties.getProperty("format"));
		}
		String snapshots = properties.getProperty("snapshots");
		return new LaunchPlan(getList(properties, "worker-command"), getList(properties, "worker-jvm-options"),
				Integer.parseInt(required(properties, "instances")), Listen.valueOf(required(properties, "listen")),
				address(properties.getProperty("address")), Integer.parseInt(required(properties, "port")),
				Integer.parseInt(required(properties, "backlog")), (snapshots != null) ? Path.of(snapshots) : null,
				Boolean.parseBoolean(required(properties, "class-data-sharing")),
				Boolean.parseBoolean(required(properties, "lean-workers")),
				Boolean.parseBoolean(required(properties, "share-processors")),
				Boolean.parseBoolean(required(properties, "cpu-affinity")));
	}

	private static void putList(Properties properties, String name, List<String> values) {
		properties.setProperty(name + ".count", Integer.toString(values.size()));
		for (int i = 0; i < values.size(); i++) {
			properties.setProperty(name + "." + i, values.get(i));
		}
	}

	private static List<String> getList(Properties properties, String name) {
		int count = Integer.parseInt(required(properties, name + ".count"));
		List<String> values = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			values.add(required(properties, name + "." + i));
		}
		return values;
	}

	private static String required(Properties properties, String name) {
		String value = properties.getProperty(name);
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' is missing");
		}
		return value;
	}

	// A literal address, as getHostAddress wrote it: no name lookup
	private static InetAddress address(String literal) {
		if (literal == null) {
			return null;
		}
		if (!literal.matches("[0-9a-fA-F.:%]+")) {
			throw new IllegalArgumentException("'address' is not a literal address: " + literal);
		}
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'address' " + ex.getMessage());
		}
	}

}
