package io.clusterboot.primary;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import io.clusterboot.posix.ProcessLaunches;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.primary.snapshot.SnapshotStore;
import io.clusterboot.primary.socket.ClusterSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the primary opens, following a {@link LaunchPlan}, to launch workers: the port,
 * the control channel, the application's first version and the launcher. Opened ahead
 * of the environment, it launches the first workers at once, for the supervisor to take
 * over; if the environment then disagrees with the plan, it is abandoned.
 */
public final class LaunchSetup implements Closeable {

	private static final Log logger = LogFactory.getLog(LaunchSetup.class);

	private static final Duration ABANDONED_WORKER_EXIT_TIMEOUT = Duration.ofSeconds(2);

	private final LaunchPlan plan;

	private final ClusterSocket socket;

	private final ControlServer control;

	private final SnapshotStore snapshots;

	private final Snapshot initialVersion;

	private final Duration preparation;

	private final ClassDataSharing classData;

	private final WorkerOutput output;

	private final AheadLaunchedWorkers launcher;

	private final AtomicBoolean closed = new AtomicBoolean();

	private Duration launchedAhead;

	private LaunchSetup(LaunchPlan plan, ClusterSocket socket, ControlServer control, SnapshotStore snapshots,
			Snapshot initialVersion, Duration preparation) {
		this.plan = plan;
		this.socket = socket;
		this.control = control;
		this.snapshots = snapshots;
		this.initialVersion = initialVersion;
		this.preparation = preparation;
		this.classData = (initialVersion != null && plan.classDataSharing())
				? new ClassDataSharing(Runtime.version().feature()) : null;
		this.output = new WorkerOutput(System.out);
		this.launcher = new AheadLaunchedWorkers(new ProcessWorkerLauncher(plan.workerCommand(), socket, control,
				this.output, plan.shareProcessors(), (initialVersion != null) ? snapshots : null, this.classData,
				plan.leanWorkers() ? LeanWorkers.forThisJvm() : null,
				plan.cpuAffinity() ? CpuAffinity.forThisProcess() : null));
	}

	/**
	 * Open what the plan says, once the environment exists. Where versioned snapshots
	 * cannot be used, workers run the jar, with a WARN.
	 * @param plan the plan from the environment
	 * @param activatedSocket the socket systemd passed, if any
	 * @return the setup
	 * @throws IOException if the port or the control channel cannot be opened
	 */
	public static LaunchSetup open(LaunchPlan plan, OptionalInt activatedSocket) throws IOException {
		ProcessLaunches.forkWhereTheJdkAllows();
		ClusterSocket socket = activatedSocket.isPresent()
				? ClusterSocket.activated(plan.listen(), activatedSocket.getAsInt())
				: ClusterSocket.bind(plan.listen(), plan.address(), plan.port(), plan.backlog());
		ControlServer control = null;
		try {
			control = ControlServer.open();
			long started = System.nanoTime();
			SnapshotStore snapshots = openSnapshots(plan);
			Snapshot version = (snapshots != null) ? prepareFirstVersion(snapshots, plan.bootJar()) : null;
			return new LaunchSetup(plan, socket, control, snapshots, version,
					Duration.ofNanos(System.nanoTime() - started));
		}
		catch (IOException | RuntimeException ex) {
			closeAll(control, socket);
			throw ex;
		}
	}

	/**
	 * Open what a recorded plan says before the environment exists, and launch the first
	 * workers. Logging is not ready yet, so this logs nothing: anything that would need a
	 * WARN, such as a version of the jar that is not unpacked yet, fails it instead, and
	 * the start goes on without launching ahead.
	 * @param plan the recorded plan
	 * @return the setup, whose first workers boot
	 * @throws IOException if anything does not go as planned
	 */
	public static LaunchSetup launchAhead(LaunchPlan plan) throws IOException {
		if (plan.snapshots() == null || plan.bootJar() == null) {
			throw new IOException("only versioned snapshots of a boot jar launch ahead");
		}
		ProcessLaunches.forkWhereTheJdkAllows();
		ClusterSocket socket = ClusterSocket.bind(plan.listen(), plan.address(), plan.port(), plan.backlog());
		ControlServer control = null;
		LaunchSetup setup = null;
		try {
			control = ControlServer.open();
			long started = System.nanoTime();
			SnapshotStore snapshots = SnapshotStore.open(plan.snapshots(), plan.workerCommand().get(0));
			Snapshot version = snapshots.lastVersionOf(plan.bootJar());
			if (version == null || !snapshots.hold(version)) {
				throw new IOException("the jar is not the one the previous start ran");
			}
			setup = new LaunchSetup(plan, socket, control, snapshots, version,
					Duration.ofNanos(System.nanoTime() - started));
			setup.launcher.launchFirst(plan.instances(), version);
			setup.launchedAhead = Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());
			PrimaryCompiler.yieldToWorkers();
			return setup;
		}
		catch (IOException | RuntimeException ex) {
			if (setup != null) {
				setup.abandon();
			}
			else {
				closeAll(control, socket);
			}
			throw ex;
		}
	}

	private static void closeAll(ControlServer control, ClusterSocket socket) throws IOException {
		if (control != null) {
			control.close();
		}
		socket.close();
	}

	/**
	 * Stop the workers launched ahead, wait until they have exited, and close the port
	 * and the control channel. The environment is decided on about a second after they
	 * launch, sooner than they boot, so they are stopped before they accept; one that
	 * does accept drains until it is killed.
	 */
	public void abandon() {
		this.launcher.abandon(ABANDONED_WORKER_EXIT_TIMEOUT);
		close();
	}

	private static SnapshotStore openSnapshots(LaunchPlan plan) {
		if (plan.snapshots() == null) {
			return null;
		}
		try {
			return SnapshotStore.open(plan.snapshots(), plan.workerCommand().get(0));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Workers run from " + plan.bootJar() + ", not from versioned snapshots: " + ex.getMessage()
					+ " (cluster.snapshots.directory)");
			return null;
		}
	}

	private static Snapshot prepareFirstVersion(SnapshotStore store, Path bootJar) {
		try {
			return store.prepare(bootJar);
		}
		catch (IOException | RuntimeException ex) {
			// Such as a description or record that is not properties: never a failed start
			logger.warn("Workers run from " + bootJar + ", not from versioned snapshots: " + ex.getMessage());
			return null;
		}
	}

	/**
	 * The plan this setup follows.
	 * @return the plan
	 */
	public LaunchPlan plan() {
		return this.plan;
	}

	/**
	 * The port the workers serve, for a log line.
	 * @return a description such as {@code 127.0.0.1:8080 (shared)}
	 */
	public String describeSocket() {
		return this.socket.describe();
	}

	ClusterSocket socket() {
		return this.socket;
	}

	ControlServer control() {
		return this.control;
	}

	SnapshotStore snapshots() {
		return this.snapshots;
	}

	/**
	 * The version the first workers run.
	 * @return the version, or {@code null} if they run the jar
	 */
	Snapshot initialVersion() {
		return this.initialVersion;
	}

	/**
	 * How long finding or unpacking the first version took.
	 * @return the duration
	 */
	Duration preparation() {
		return this.preparation;
	}

	WorkerOutput output() {
		return this.output;
	}

	WorkerLauncher launcher() {
		return this.launcher;
	}

	/**
	 * How far into this JVM's life the first workers were launched ahead.
	 * @return the uptime then, or {@code null} if they were not launched ahead
	 */
	public Duration launchedAhead() {
		return this.launchedAhead;
	}

	/**
	 * The number of workers launched ahead that the supervisor has not taken over yet.
	 * @return the count
	 */
	int waitingWorkers() {
		return this.launcher.waiting();
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (this.classData != null) {
			this.classData.close();
		}
		this.control.close();
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the cluster's socket failed: " + ex.getMessage());
		}
	}

}
