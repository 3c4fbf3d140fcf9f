package io.clusterboot.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.clusterboot.ClusterProperties;
import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;
import io.clusterboot.control.ControlMessage;
import io.clusterboot.control.ControlMessage.Broadcast;
import io.clusterboot.control.ControlMessage.Command;
import io.clusterboot.control.ControlMessage.CommandReply;
import io.clusterboot.control.ControlMessage.Heartbeat;
import io.clusterboot.control.ControlMessage.MetricsReply;
import io.clusterboot.control.ControlMessage.MetricsRequest;
import io.clusterboot.control.ControlMessage.StateChanged;
import io.clusterboot.control.ControlMessage.StatusReply;
import io.clusterboot.control.ControlMessage.StatusRequest;
import io.clusterboot.control.ControlServer;
import io.clusterboot.control.ControlServer.WorkerConnection;
import io.clusterboot.control.MetricsRelay;
import io.clusterboot.launch.WorkerCommand;
import io.clusterboot.launch.WorkerEnvironment;
import io.clusterboot.socket.ClusterSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The primary's loop: it launches the workers, restarts those that die, replaces them
 * one by one on reload or recycle, and stops them all on request. Everything that
 * happens, a signal, a worker's exit or message, arrives as an event on one queue, and
 * only this loop changes the worker table.
 */
public final class Supervisor {

	private static final Log logger = LogFactory.getLog(Supervisor.class);

	private static final long TICK_MILLIS = 100;

	private static final int EVENTS_KEPT = 100;

	private final ClusterProperties properties;

	private final List<String> workerCommand;

	private final ClusterSocket socket;

	private final RestartBackoff backoff;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final Map<Long, Worker> workers = new LinkedHashMap<>();

	private final Map<Integer, Slot> slots = new HashMap<>();

	private final Deque<Rollout> pendingRollouts = new ArrayDeque<>();

	private final Deque<ClusterStatus.Event> history = new ArrayDeque<>();

	private final Instant startedAt = Instant.now();

	private int desired;

	private Rollout rollout;

	private ClusterStatus.Reload lastRollout;

	private int reloads;

	private boolean stopping;

	private boolean startedUp;

	private CrashLoopException failure;

	private volatile ClusterStatus status;

	private volatile MetricsRelay metricsRelay;

	/**
	 * Create a supervisor.
	 * @param properties the cluster configuration
	 * @param desired the number of workers to run
	 * @param workerCommand the command line that launches a worker
	 * @param socket the port the workers serve
	 */
	public Supervisor(ClusterProperties properties, int desired, List<String> workerCommand, ClusterSocket socket) {
		this.properties = properties;
		this.desired = desired;
		this.workerCommand = List.copyOf(workerCommand);
		this.socket = socket;
		this.backoff = new RestartBackoff(properties.getRestart().getInitialDelay(),
				properties.getRestart().getMaxDelay());
	}

	/**
	 * Run the cluster until it is stopped by a signal or fails.
	 * @throws CrashLoopException if workers kept failing right after they started
	 * @throws IOException if the control channel cannot be opened
	 */
	public void run() throws IOException {
		try (ControlServer control = ControlServer.start(new ControlListener())) {
			this.metricsRelay = new MetricsRelay(control);
			Signals.forward(this.events::add);
			logger.info("Cluster primary (pid " + ProcessHandle.current().pid() + ") starting " + this.desired
					+ " workers on " + this.socket.describe() + " (" + listenMode() + " socket)");
			while (!(this.stopping && this.workers.isEmpty())) {
				Event event = this.events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
				if (event != null) {
					handle(event);
				}
				killWorkersDueToDie();
				if (!this.stopping) {
					replaceStuckWorkers();
					manageWorkerCount(control);
					advanceRollout(control);
				}
				publishStatus();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.workers.values().forEach(Worker::kill);
		}
		finally {
			this.socket.close();
		}
		if (this.failure != null) {
			throw this.failure;
		}
		logger.info("Cluster stopped");
	}

	private void handle(Event event) {
		if (event instanceof Event.SignalReceived signal) {
			handleSignal(signal.name());
		}
		else if (event instanceof Event.WorkerExited exited) {
			handleExit(exited.worker(), exited.exitCode());
		}
		else if (event instanceof Event.WorkerConnected connected) {
			handleConnected(connected.connection());
		}
		else if (event instanceof Event.WorkerReported reported) {
			handleReport(reported.connection(), reported.message());
		}
	}

	private void handleSignal(String signal) {
		switch (signal) {
			case "TERM", "INT" -> {
				if (this.stopping && signal.equals("INT")) {
					logger.info("Interrupted again: killing workers now");
					this.workers.values().forEach(Worker::kill);
				}
				else {
					stop("Received SIG" + signal + ": stopping the cluster");
				}
			}
			case "HUP" -> {
				if (!this.stopping) {
					reload();
				}
			}
			case "TTIN" -> logIfRefused(scale(this.desired + 1));
			case "TTOU" -> logIfRefused(scale(this.desired - 1));
			default -> logger.warn("Ignoring SIG" + signal);
		}
	}

	private String reload() {
		boolean alreadyPending = this.pendingRollouts.stream().anyMatch(Rollout::isReload);
		if (alreadyPending) {
			logger.info("Reload requested; one is already waiting to run");
			return "a reload is already waiting to run";
		}
		List<Integer> ids = IntStream.rangeClosed(1, this.desired).boxed().toList();
		this.pendingRollouts.add(new Rollout("reload", "requested", ids));
		if (this.rollout != null) {
			logger.info("Reload requested; it runs once the current " + this.rollout.kind + " is done");
			return "reload of " + ids.size() + " workers, after the current " + this.rollout.kind;
		}
		return "reload of " + ids.size() + " workers";
	}

	/**
	 * Change the number of workers.
	 * @param instances the new count
	 * @return why the count was refused, or {@code null}
	 */
	private String scale(int instances) {
		if (instances < 1 || instances > InstanceCount.LIMIT) {
			return "Not scaling to " + instances + " workers: 1 to " + InstanceCount.LIMIT + " are possible";
		}
		logger.info("Scaling from " + this.desired + " to " + instances + " workers");
		record("scale", null, null, this.desired + " -> " + instances);
		this.desired = instances;
		return null;
	}

	private static void logIfRefused(String refusal) {
		if (refusal != null) {
			logger.warn(refusal);
		}
	}

	private CommandReply handleCommand(Command command) {
		if (this.stopping) {
			return new CommandReply(command.requestId(), false, "The cluster is stopping");
		}
		return switch (String.valueOf(command.action())) {
			case "reload" -> new CommandReply(command.requestId(), true, reload());
			case "scale" -> {
				String refusal;
				try {
					refusal = scale(InstanceCount.resolve("instances", command.instances(),
							Runtime.getRuntime().availableProcessors()));
				}
				catch (InvalidConfigurationPropertyValueException ex) {
					refusal = ex.getMessage();
				}
				yield (refusal != null) ? new CommandReply(command.requestId(), false, refusal)
						: new CommandReply(command.requestId(), true, "scale to " + this.desired + " workers");
			}
			case "restart" -> {
				Integer id = command.workerId();
				if (id == null || servingWorker(id) == null) {
					yield new CommandReply(command.requestId(), false, "No running worker with id " + id);
				}
				this.pendingRollouts.add(new Rollout("restart", "worker " + id + " requested", List.of(id)));
				yield new CommandReply(command.requestId(), true, "restart of worker " + id + ", new one first");
			}
			default -> new CommandReply(command.requestId(), false,
					"Unknown action '" + command.action() + "': reload, scale or restart");
		};
	}

	private void relay(WorkerConnection from, Broadcast broadcast) {
		for (Worker worker : this.workers.values()) {
			if (worker.pid() != from.pid() || broadcast.includeSender()) {
				worker.send(broadcast);
			}
		}
	}

	private void handleExit(Worker worker, int exitCode) {
		this.workers.remove(worker.pid());
		Slot slot = slot(worker.id());
		slot.lastExitCode = exitCode;
		record("exit", worker, "code " + exitCode);
		if (this.rollout != null && this.rollout.incoming == worker) {
			abortRollout(worker + " exited with code " + exitCode + " before it became ready");
			return;
		}
		if (worker.isStopping() || this.stopping) {
			logger.info("Worker " + worker.id() + " (pid " + worker.pid() + ") exited with code " + exitCode);
			return;
		}
		ClusterProperties.Restart restart = this.properties.getRestart();
		boolean stable = worker.ranStably(restart.getMinUptime());
		slot.failures = stable ? 1 : slot.failures + 1;
		if (!stable && slot.failures > restart.getMaxRestarts()) {
			this.failure = new CrashLoopException(worker.id(), exitCode, slot.failures, worker.isReady());
			stop(this.failure.getMessage());
			return;
		}
		Duration delay = this.backoff.delay(slot.failures);
		slot.restarts++;
		slot.restartAtNanos = System.nanoTime() + delay.toNanos();
		logger.warn("Worker " + worker.id() + " (pid " + worker.pid() + ") exited unexpectedly with code " + exitCode
				+ "; restarting it in " + delay.toMillis() + " ms");
		record("restart", worker, "in " + delay.toMillis() + " ms");
	}

	private void handleConnected(WorkerConnection connection) {
		Worker worker = this.workers.get(connection.pid());
		if (worker == null || worker.id() != connection.workerId()) {
			logger.warn("Closing control connection of unknown worker " + connection.workerId() + " (pid "
					+ connection.pid() + ")");
			connection.channel().close();
			return;
		}
		worker.connected(connection);
	}

	private void handleReport(WorkerConnection connection, ControlMessage message) {
		Worker worker = this.workers.get(connection.pid());
		if (worker == null) {
			return;
		}
		if (message instanceof StateChanged changed && changed.state() == WorkerState.READY && worker.ready()) {
			logger.info("Worker " + worker.id() + " (pid " + worker.pid() + ") is ready");
			record("ready", worker, null);
			if (!this.startedUp && this.workers.values().stream().filter(Worker::isReady).count() == this.desired) {
				this.startedUp = true;
				PrimaryFootprint.shrink();
			}
		}
		else if (message instanceof Heartbeat heartbeat) {
			worker.heartbeat(heartbeat, ResidentMemory.of(worker.pid()));
			recycleIfOverLimits(worker);
		}
		else if (message instanceof Command command) {
			connection.send(handleCommand(command));
		}
		else if (message instanceof Broadcast broadcast) {
			relay(connection, broadcast);
		}
	}

	private void recycleIfOverLimits(Worker worker) {
		String reason = null;
		if (this.properties.getMaxMemory() != null && worker.rssBytes() > this.properties.getMaxMemory().toBytes()) {
			reason = "resident memory " + worker.rssBytes() / (1024 * 1024) + " MB is over cluster.max-memory";
		}
		else if (worker.reachedRequestLimit()) {
			reason = worker.requests() + " requests served, over cluster.max-requests";
		}
		if (reason != null && worker.holdsItsId() && !this.stopping && worker.scheduleReplacement()) {
			logger.info("Recycling " + worker + ": " + reason);
			record("recycle", worker, reason);
			this.pendingRollouts.add(new Rollout("recycle", reason, List.of(worker.id())));
		}
	}

	private void replaceStuckWorkers() {
		Duration timeout = this.properties.getHeartbeatTimeout();
		for (Worker worker : this.workers.values()) {
			if (worker.isSilentFor(timeout)) {
				logger.error(worker + " sent no heartbeat for " + timeout.toSeconds()
						+ " s (cluster.heartbeat-timeout); its thread dump follows, then it is killed and replaced");
				record("stuck", worker, "no heartbeat for " + timeout.toSeconds() + " s");
				worker.dumpThreadsAndKill();
			}
		}
	}

	private void manageWorkerCount(ControlServer control) {
		for (Worker worker : List.copyOf(this.workers.values())) {
			if (worker.id() > this.desired && worker.holdsItsId()) {
				logger.info("Stopping " + worker + ": scaled down");
				worker.stop(this.properties.getDrainTimeout());
			}
		}
		for (int id = 1; id <= this.desired; id++) {
			if (servingWorker(id) == null && slot(id).isDue()) {
				launch(id, control);
			}
		}
	}

	/**
	 * Move the current rollout one step: launch the next replacement, or once it is
	 * READY, drain the worker it replaces. Capacity never drops below the desired count.
	 */
	private void advanceRollout(ControlServer control) {
		if (this.rollout == null) {
			this.rollout = this.pendingRollouts.poll();
			if (this.rollout == null) {
				return;
			}
			logger.info("Starting " + this.rollout.kind + " of " + this.rollout.ids.size() + " worker(s)");
			if (this.rollout.isReload()) {
				this.reloads++;
			}
			record(this.rollout.kind + "-started", null, null, this.rollout.detail);
			this.lastRollout = this.rollout.status("running", null);
		}
		Rollout current = this.rollout;
		if (current.incoming == null) {
			Integer id = current.ids.poll();
			if (id == null) {
				logger.info("Finished " + current.kind);
				record(current.kind + "-finished", null, null, current.detail);
				this.lastRollout = current.status("finished", Instant.now());
				this.rollout = null;
				return;
			}
			current.outgoing = servingWorker(id);
			if (current.outgoing != null && id <= this.desired) {
				current.incoming = launch(id, control);
				current.readyDeadlineNanos = System.nanoTime() + this.properties.getReadyTimeout().toNanos();
			}
		}
		else if (current.incoming.isReady()) {
			logger.info("Replacing " + current.outgoing + " with " + current.incoming);
			current.outgoing.stop(this.properties.getDrainTimeout());
			current.incoming = null;
		}
		else if (System.nanoTime() - current.readyDeadlineNanos > 0) {
			current.incoming.stop(this.properties.getDrainTimeout());
			abortRollout(current.incoming + " did not become ready within "
					+ this.properties.getReadyTimeout().toSeconds() + " s (cluster.ready-timeout)");
		}
	}

	private void abortRollout(String reason) {
		Rollout aborted = this.rollout;
		logger.error(aborted.kind.substring(0, 1).toUpperCase() + aborted.kind.substring(1) + " aborted: " + reason
				+ "; the previous workers keep serving");
		record(aborted.kind + "-aborted", null, null, reason);
		this.lastRollout = new ClusterStatus.Reload(aborted.kind, "aborted", reason, aborted.startedAt, Instant.now());
		this.rollout = null;
	}

	private Worker servingWorker(int id) {
		// In launch order, so during a rollout this is the worker being replaced
		for (Worker worker : this.workers.values()) {
			if (worker.id() == id && worker.holdsItsId()) {
				return worker;
			}
		}
		return null;
	}

	private Worker launch(int id, ControlServer control) {
		Slot slot = slot(id);
		List<String> command = this.properties.isShareProcessors() ? WorkerCommand.withProcessorShare(
				this.workerCommand, Runtime.getRuntime().availableProcessors() / this.desired) : this.workerCommand;
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		Map<String, String> environment = builder.environment();
		WorkerCommand.JVM_OPTION_VARIABLES.forEach(environment::remove);
		environment.put(WorkerEnvironment.ID, Integer.toString(id));
		environment.put(WorkerEnvironment.COUNT, Integer.toString(this.desired));
		environment.put(WorkerEnvironment.GENERATION, Integer.toString(slot.generation + 1));
		this.socket.shareWith(builder);
		control.shareWith(builder);
		try {
			Process process = builder.start();
			slot.generation++;
			slot.restartAtNanos = 0;
			Worker worker = new Worker(id, slot.generation, process, requestLimit());
			this.workers.put(worker.pid(), worker);
			record("start", worker, "generation " + slot.generation);
			process.onExit().thenAccept((exited) -> this.events.add(new Event.WorkerExited(worker, exited.exitValue())));
			return worker;
		}
		catch (IOException ex) {
			logger.error("Cannot launch worker " + id + ": " + ex.getMessage());
			slot.restartAtNanos = System.nanoTime() + this.backoff.maxDelay().toNanos();
			return null;
		}
	}

	private long requestLimit() {
		long maxRequests = this.properties.getMaxRequests();
		long jitter = this.properties.getMaxRequestsJitter();
		if (maxRequests <= 0) {
			return 0;
		}
		return maxRequests + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
	}

	private void killWorkersDueToDie() {
		for (Worker worker : this.workers.values()) {
			if (worker.killIfDue()) {
				logger.warn("Killed " + worker + (worker.isStopping()
						? ": still running after cluster.drain-timeout (" + this.properties.getDrainTimeout().toSeconds()
								+ " s)"
						: ""));
			}
		}
	}

	private void stop(String reason) {
		if (!this.stopping) {
			logger.info(reason);
			this.stopping = true;
			this.pendingRollouts.clear();
			this.rollout = null;
		}
		this.workers.values().forEach((worker) -> worker.stop(this.properties.getDrainTimeout()));
	}

	private Slot slot(int id) {
		return this.slots.computeIfAbsent(id, (key) -> new Slot());
	}

	private String listenMode() {
		return this.socket.listen().name().toLowerCase();
	}

	private void record(String type, Worker worker, String detail) {
		record(type, (worker != null) ? worker.id() : null, (worker != null) ? worker.pid() : null, detail);
	}

	private void record(String type, Integer workerId, Long pid, String detail) {
		if (this.history.size() == EVENTS_KEPT) {
			this.history.removeFirst();
		}
		this.history.addLast(new ClusterStatus.Event(Instant.now(), type, workerId, pid, detail));
	}

	private void publishStatus() {
		List<ClusterStatus.Worker> statuses = new ArrayList<>();
		for (Worker worker : this.workers.values()) {
			Slot slot = slot(worker.id());
			statuses.add(worker.status(slot.restarts, slot.lastExitCode));
		}
		this.slots.forEach((id, slot) -> {
			if (id <= this.desired && servingWorker(id) == null && !this.stopping) {
				statuses.add(new ClusterStatus.Worker(id, null, WorkerState.RESTARTING, slot.generation, slot.restarts,
						null, 0, 0, 0, slot.lastExitCode, 0, 0, 0));
			}
		});
		statuses.sort(Comparator.comparingInt(ClusterStatus.Worker::id).thenComparing(ClusterStatus.Worker::generation));
		this.status = new ClusterStatus("cluster", listenMode(), this.socket.describe(),
				new ClusterStatus.Primary(ProcessHandle.current().pid(), this.startedAt), this.desired,
				List.copyOf(statuses), this.lastRollout, this.reloads, List.copyOf(this.history));
	}

	private final class ControlListener implements ControlServer.Listener {

		@Override
		public void connected(WorkerConnection connection) {
			Supervisor.this.events.add(new Event.WorkerConnected(connection));
		}

		@Override
		public void received(WorkerConnection connection, ControlMessage message) {
			// Answered here, from the last published status, so a busy loop never delays it
			if (message instanceof StatusRequest request) {
				connection.send(new StatusReply(request.requestId(), Supervisor.this.status));
			}
			else if (message instanceof MetricsRequest request) {
				Supervisor.this.metricsRelay.gather(connection, request);
			}
			else if (message instanceof MetricsReply reply) {
				Supervisor.this.metricsRelay.received(reply);
			}
			else {
				Supervisor.this.events.add(new Event.WorkerReported(connection, message));
			}
		}

		@Override
		public void disconnected(WorkerConnection connection) {
		}

	}

	/**
	 * What the primary remembers about a worker id across its processes.
	 */
	private static final class Slot {

		private int generation;

		private int restarts;

		private int failures;

		private Integer lastExitCode;

		private long restartAtNanos;

		boolean isDue() {
			return this.restartAtNanos == 0 || System.nanoTime() - this.restartAtNanos >= 0;
		}

	}

	/**
	 * Workers being replaced one at a time, each by a new process that must become READY
	 * before the old one drains.
	 */
	private static final class Rollout {

		private final String kind;

		private final String detail;

		private final Deque<Integer> ids;

		private final Instant startedAt = Instant.now();

		private Worker incoming;

		private Worker outgoing;

		private long readyDeadlineNanos;

		Rollout(String kind, String detail, List<Integer> ids) {
			this.kind = kind;
			this.detail = detail;
			this.ids = new ArrayDeque<>(ids);
		}

		boolean isReload() {
			return this.kind.equals("reload");
		}

		ClusterStatus.Reload status(String state, Instant endedAt) {
			return new ClusterStatus.Reload(this.kind, state, this.detail, this.startedAt, endedAt);
		}

	}

}
