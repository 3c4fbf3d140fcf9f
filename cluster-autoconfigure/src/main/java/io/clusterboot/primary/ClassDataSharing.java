package io.clusterboot.primary;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.clusterboot.posix.ProcessLaunches;
import io.clusterboot.primary.snapshot.Sha256;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.primary.snapshot.SnapshotStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Class-data sharing for the workers of each version: once the cluster serves, a
 * training run of the version, at the lowest CPU priority, writes an archive of the
 * classes the application loads while it starts, and later workers of that version map
 * it instead of loading and verifying those classes again.
 * <ul>
 * <li>JDK 17 to 24: a dynamic AppCDS archive ({@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}).</li>
 * <li>JDK 25 and later: the AOT cache ({@code -XX:AOTCacheOutput}, then
 * {@code -XX:AOTCache}), which also carries method profiles.</li>
 * </ul>
 * The training run is the one Spring documents: {@code -Dspring.context.exit=onRefresh}
 * stops it once the context is refreshed, before the web server binds or scheduled work
 * starts, and {@code cluster.enabled=false} keeps it a single JVM. An archive is only
 * valid for the exact JVM and options it was trained with, so its name carries a
 * fingerprint of both; a worker whose options have no archive yet starts without one.
 * Building one may fail without harm: one WARN, and workers start as before.
 */
final class ClassDataSharing implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClassDataSharing.class);

	private static final Duration TRAINING_LIMIT = Duration.ofMinutes(5);

	private static final int AOT_CACHE_FEATURE = 25;

	private static final String RUNTIME_VERSION = "JAVA_RUNTIME_VERSION";

	private final int javaFeature;

	/**
	 * Archives being trained, or whose training failed: every finished rollout asks for
	 * its version's archive, and one that failed is not tried again while this primary
	 * runs.
	 */
	private final Set<Path> tried = ConcurrentHashMap.newKeySet();

	private Process trainingRun;

	private boolean closed;

	private final ExecutorService trainer = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-class-data");
		thread.setDaemon(true);
		return thread;
	});

	ClassDataSharing(int javaFeature) {
		this.javaFeature = javaFeature;
	}

	/**
	 * A worker's command line with the archive of its version, if one was trained for
	 * exactly these options.
	 * @param command a worker's command line, running the version
	 * @param version the version
	 * @return the command line, with the archive option if there is an archive
	 */
	List<String> use(List<String> command, Snapshot version) {
		Path archive = archive(command, version);
		if (!Files.isRegularFile(archive)) {
			return command;
		}
		List<String> using = new ArrayList<>(command);
		using.add(1, ((this.javaFeature >= AOT_CACHE_FEATURE) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
		return using;
	}

	/**
	 * Train an archive for a version and these options, in the background, unless there
	 * is one.
	 * @param command a worker's command line, running the version
	 * @param version the version
	 * @param environment the workers' environment, less the worker contract
	 */
	void train(List<String> command, Snapshot version, Map<String, String> environment) {
		Path archive = archive(command, version);
		if (Files.isRegularFile(archive) || isClosed() || !this.tried.add(archive)) {
			return;
		}
		this.trainer.execute(() -> {
			try {
				long started = System.nanoTime();
				runTraining(command, archive, environment);
				this.tried.remove(archive);
				logger.info("Class-data archive for version " + version + " ready in "
						+ Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s; workers started from now "
						+ "on use it (" + archive.getFileName() + ")");
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Workers of version " + version + " start without class-data sharing: "
						+ ex.getMessage() + " (cluster.class-data-sharing)");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	private void runTraining(List<String> command, Path archive, Map<String, String> environment)
			throws IOException, InterruptedException {
		Path output = archive.resolveSibling(archive.getFileName() + ".training");
		Path log = archive.resolveSibling(archive.getFileName() + ".log");
		List<String> training = new ArrayList<>();
		// The lowest priority: the cluster serves meanwhile
		training.addAll(List.of("nice", "-n", "19"));
		training.add(command.get(0));
		training.add(((this.javaFeature >= AOT_CACHE_FEATURE) ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=")
				+ output);
		training.add("-Dspring.context.exit=onRefresh");
		training.add("-Dcluster.enabled=false");
		training.addAll(command.subList(1, command.size()));
		Files.createDirectories(archive.getParent());
		ProcessBuilder builder = new ProcessBuilder(training).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process = startUnlessClosed(builder);
		try {
			if (!process.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException("the training run took longer than " + TRAINING_LIMIT.toMinutes() + " min");
			}
			if (!Files.isRegularFile(output)) {
				throw new IOException("the training run exited with code " + process.exitValue()
						+ " and wrote no archive; see " + log);
			}
			Files.move(output, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			Files.deleteIfExists(log);
		}
		finally {
			synchronized (this) {
				this.trainingRun = null;
			}
			Files.deleteIfExists(output);
		}
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	// Under the lock that close() takes: a run started as the primary stops would outlive it
	private synchronized Process startUnlessClosed(ProcessBuilder builder) throws IOException, InterruptedException {
		if (this.closed) {
			throw new InterruptedException("the primary stops");
		}
		this.trainingRun = ProcessLaunches.start(builder);
		return this.trainingRun;
	}

	/**
	 * Stop training: a training run does not outlive the primary's stop.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		this.trainer.shutdownNow();
		if (this.trainingRun != null) {
			this.trainingRun.destroyForcibly();
		}
	}

	/**
	 * Where the archive of a version and a command line's JVM and options lives.
	 */
	Path archive(List<String> command, Snapshot version) {
		List<String> jvm = new ArrayList<>(List.of(command.get(0)));
		jvm.addAll(WorkerCommand.jvmOptions(command));
		String fingerprint = String.join("\n", jvm) + "\n" + runtimeBuild(command.get(0));
		String name = "classes-" + Sha256.nameOf(fingerprint)
				+ ((this.javaFeature >= AOT_CACHE_FEATURE) ? ".aot" : ".jsa");
		return version.directory().resolve(SnapshotStore.CLASS_DATA).resolve(name);
	}

	/**
	 * The exact build of the JDK a worker runs, read from that JDK's {@code release}
	 * file rather than from this JVM: a JDK upgraded in place (a distribution's package
	 * update) keeps its path, and the running primary's own version would still name the
	 * archives the previous build trained, which the new one refuses.
	 * @param java the worker's {@code java} executable
	 * @return the build, or this JVM's version where the JDK has no readable
	 * {@code release} file
	 */
	static String runtimeBuild(String java) {
		try {
			Path home = Path.of(java).toRealPath().getParent().getParent();
			Properties release = new Properties();
			try (Reader reader = Files.newBufferedReader(home.resolve("release"), StandardCharsets.UTF_8)) {
				release.load(reader);
			}
			String build = release.getProperty(RUNTIME_VERSION);
			if (build != null) {
				// Quoted in the file, as in JAVA_RUNTIME_VERSION="17.0.15+6-Debian-1deb12u1"
				return build.replaceAll("^\"|\"$", "");
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("No release file for " + java + ": " + ex.getMessage());
		}
		return System.getProperty("java.vm.version");
	}

}
