package io.clusterboot.primary;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.LastErrorException;
import io.clusterboot.posix.LibC;
import io.clusterboot.posix.Niceness;
import io.clusterboot.posix.ProcessLaunches;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.primary.snapshot.SnapshotStore;
import io.clusterboot.primary.socket.ClusterSocket;
import io.clusterboot.primary.socket.SocketActivation;
import io.clusterboot.protocol.WorkerContract;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Launches workers as child JVMs: the primary's own launch, with the worker contract in
 * their environment and the cluster's socket; their output passes through the primary's.
 */
final class ProcessWorkerLauncher implements WorkerLauncher {

	private static final Log logger = LogFactory.getLog(ProcessWorkerLauncher.class);

	/**
	 * How long a worker's exit waits for the rest of its output.
	 */
	private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(2);

	/**
	 * What systemd hands the service, which is the primary: a worker that notified
	 * systemd, or took the activated socket for its own, would confuse both.
	 */
	private static final List<String> SERVICE_MANAGER_VARIABLES = List.of(SystemdNotifier.NOTIFY_SOCKET,
			SystemdNotifier.WATCHDOG_USEC, SystemdNotifier.WATCHDOG_PID, SocketActivation.LISTEN_FDS,
			SocketActivation.LISTEN_PID, "LISTEN_FDNAMES");

	private final List<String> command;

	private final ClusterSocket socket;

	private final ControlServer control;

	private final WorkerOutput output;

	private final boolean shareProcessors;

	private final SnapshotStore snapshots;

	private final ClassDataSharing classData;

	private final LeanWorkers lean;

	private final CpuAffinity affinity;

	private final AtomicLong launches = new AtomicLong();

	private volatile boolean outputPipeWarned;

	/**
	 * Create a launcher.
	 * @param command the primary's own launch, as a worker's command line
	 * @param socket the port workers serve
	 * @param control the control channel workers connect to
	 * @param output where the workers' output goes
	 * @param shareProcessors whether each worker is told its share of the processors
	 * @param snapshots where versions of the application are unpacked, {@code null}
	 * without versions
	 * @param classData class-data sharing for versions, {@code null} for none
	 * @param lean the lean defaults for worker JVMs, {@code null} for none
	 * @param affinity pins each worker to one CPU, {@code null} to let them run on any
	 */
	ProcessWorkerLauncher(List<String> command, ClusterSocket socket, ControlServer control, WorkerOutput output,
			boolean shareProcessors, SnapshotStore snapshots, ClassDataSharing classData, LeanWorkers lean,
			CpuAffinity affinity) {
		this.command = List.copyOf(command);
		this.socket = socket;
		this.control = control;
		this.output = output;
		this.shareProcessors = shareProcessors;
		this.snapshots = snapshots;
		this.classData = classData;
		this.lean = lean;
		this.affinity = affinity;
	}

	@Override
	public WorkerProcess launch(int id, int generation, int logSlot, int count, Snapshot version, Exits exits)
			throws IOException {
		if (version != null && !this.snapshots.verify(version)) {
			throw new IOException("version " + version + " in " + version.directory() + " is not safe to run");
		}
		List<String> command = command(version, count);
		if (version != null && this.classData != null) {
			command = this.classData.use(command, version);
		}
		// Standard error joins the output, which passes through the primary's
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		workerEnvironment(environment);
		new WorkerContract(id, count, generation, logSlot, this.socket.listen(), this.socket.localAddress().getPort(),
				this.control.socketPath(), this.control.token())
			.writeTo(environment);
		this.socket.shareWith(builder, id);
		Integer cpu = (this.affinity != null) ? this.affinity.cpuOf(id) : null;
		OutputPipe pipe = outputPipe();
		if (pipe != null) {
			pipe.redirect(builder);
		}
		Process process;
		try {
			process = (cpu != null) ? this.affinity.start(cpu, builder) : ProcessLaunches.start(builder);
		}
		catch (IOException | RuntimeException ex) {
			if (pipe != null) {
				pipe.close();
			}
			throw ex;
		}
		CompletableFuture<Void> copied = this.output.copy(id, workerOutput(process, pipe));
		// Reported once its last lines are out too, or the primary's own exit could lose
		// them; but not for long: a process the worker started may hold its output open,
		// and the primary's own output may be slow to take them (a terminal, a full
		// journal)
		process.onExit()
			.thenCompose((exited) -> copied.completeOnTimeout(null, OUTPUT_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS)
				.thenApply((done) -> exited))
			.thenAccept((exited) -> exits.exited(exited.pid(), exited.exitValue()));
		return new ChildProcess(process, cpu);
	}

	/**
	 * A named pipe for the next worker's output, in the control channel's directory,
	 * which only this user can enter.
	 * @return the pipe, or {@code null} to use the JDK's, where none can be made
	 */
	private OutputPipe outputPipe() {
		try {
			return OutputPipe.create(this.control.socketPath().resolveSibling("output-" + this.launches.incrementAndGet()));
		}
		catch (IOException ex) {
			if (!this.outputPipeWarned) {
				this.outputPipeWarned = true;
				logger.warn(ex.getMessage() + "; the output of a process that a worker started ends with the worker");
			}
			return null;
		}
	}

	private static InputStream workerOutput(Process process, OutputPipe pipe) throws IOException {
		if (pipe == null) {
			return process.getInputStream();
		}
		try {
			return pipe.open();
		}
		catch (IOException ex) {
			// A worker whose output nobody reads stops at its first full pipe
			process.destroyForcibly();
			throw ex;
		}
	}

	@Override
	public void route(int workers) throws IOException {
		this.socket.route(workers);
	}

	@Override
	public void optimize(Snapshot version, int count) {
		if (version != null && this.classData != null) {
			Map<String, String> environment = new HashMap<>(System.getenv());
			workerEnvironment(environment);
			this.classData.train(command(version, count), version, environment);
		}
	}

	private void workerEnvironment(Map<String, String> environment) {
		WorkerCommand.JVM_OPTION_VARIABLES.forEach(environment::remove);
		SERVICE_MANAGER_VARIABLES.forEach(environment::remove);
		if (this.lean != null) {
			this.lean.environment(environment);
		}
	}

	/**
	 * A worker's command line: the primary's launch, running the version, with the
	 * worker's share of the processors and the lean defaults, which follow from that
	 * share.
	 */
	private List<String> command(Snapshot version, int count) {
		List<String> command = this.command;
		if (this.shareProcessors) {
			command = WorkerCommand.withProcessorShare(command, Runtime.getRuntime().availableProcessors() / count);
		}
		if (this.lean != null) {
			command = this.lean.command(command, count);
		}
		if (version != null) {
			command = WorkerCommand.withJar(command, version.applicationJar());
		}
		return command;
	}

	private record ChildProcess(Process process, Integer pinnedCpu) implements WorkerProcess {

		@Override
		public long pid() {
			return this.process.pid();
		}

		@Override
		public void terminate() {
			this.process.destroy();
		}

		@Override
		public void dumpThreads() {
			// A signal, not a process: it needs no launch, which a JDK replaced in place
			// can refuse
			if (this.process.isAlive()) {
				try {
					LibC.INSTANCE.kill(Math.toIntExact(pid()), LibC.SIGQUIT);
				}
				catch (LastErrorException | UnsatisfiedLinkError ex) {
					// Exited meanwhile; the kill follows anyway
				}
			}
		}

		@Override
		public void kill() {
			this.process.destroyForcibly();
		}

		@Override
		public void lowerPriority(int niceness) {
			Niceness.set(pid(), niceness);
		}

		@Override
		public Duration cpuTime() {
			return this.process.info().totalCpuDuration().orElse(Duration.ZERO);
		}

		@Override
		public long residentBytes() {
			return ProcMemory.residentBytes(pid());
		}

	}

}
