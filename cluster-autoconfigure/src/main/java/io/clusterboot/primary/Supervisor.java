package io.clusterboot.primary;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.Rollout.Kind;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.Advice;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.AdviceFound;
import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.ControlMessage.StateChanged;
import io.clusterboot.protocol.WorkerContract;
import io.clusterboot.protocol.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The primary's loop: it launches the workers, restarts those that die, replaces them
 * on reload or recycle, new ones first, and stops them all on request. Everything that
 * happens, a signal, a worker's exit or message, arrives as an {@link Event} on one
 * queue, and only this loop changes the worker table. It never blocks on a worker:
 * messages to workers are queued by their connections.
 */
final class Supervisor {

	private static final Log logger = LogFactory.getLog(Supervisor.class);

	private static final long TICK_MILLIS = 100;

	private static final long MEGABYTE = 1024 * 1024;

	private static final int EVENTS_KEPT = 100;

	private static final Comparator<WorkerHandle> LEAD_PREFERENCE = Comparator.comparing(WorkerHandle::isReady)
		.reversed()
		.thenComparing(WorkerHandle.LEAD_ORDER);

	private final ClusterProperties properties;

	private final WorkerLauncher launcher;

	private final Ticker ticker;

	private final String listen;

	private final String address;

	private final Runnable onAllReady;

	private final ServiceManager serviceManager;

	private final Versions versions;

	private final RestartBackoff backoff;

	private LongSupplier availableMemory = AvailableMemory.ofThisMachine()::bytes;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final Map<Long, WorkerHandle> workers = new LinkedHashMap<>();

	private final Map<Integer, Slot> slots = new HashMap<>();

	private final Deque<Rollout> pendingRollouts = new ArrayDeque<>();

	private final Deque<ClusterStatus.Event> history = new ArrayDeque<>();

	private final Map<String, Advice> advice = new LinkedHashMap<>();

	private final ClusterStatus.Primary primary;

	private int desired;

	private Snapshot currentVersion;

	private Snapshot previousVersion;

	private boolean preparingReload;

	private Rollout rollout;

	private ClusterStatus.Reload lastRollout;

	private int reloads;

	private int routed;

	private boolean stopping;

	private boolean allReadyOnce;

	private boolean reloadAnnounced;

	private String lastServiceStatus;

	private long lastWatchdogNanos;

	private CrashLoopException failure;

	private volatile ClusterStatus status;

	private volatile List<WorkerLink> readyLinks = List.of();

	/**
	 * Create a supervisor.
	 * @param properties the cluster configuration
	 * @param desired the number of workers to run
	 * @param launcher starts worker processes
	 * @param ticker the clock
	 * @param listen how workers share the port, for the status
	 * @param address the address workers serve, for the status
	 * @param onAllReady called once, when every desired worker first became ready
	 * @param serviceManager told of readiness, reloads and the cluster's state
	 * @param versions the application's versions, {@code null} to run it as the primary
	 * was launched
	 * @param initialVersion the version to start with, {@code null} without versions
	 */
	Supervisor(ClusterProperties properties, int desired, WorkerLauncher launcher, Ticker ticker, String listen,
			String address, Runnable onAllReady, ServiceManager serviceManager, Versions versions,
			Snapshot initialVersion) {
		this.properties = properties;
		this.desired = desired;
		this.launcher = launcher;
		this.ticker = ticker;
		this.listen = listen;
		this.address = address;
		this.onAllReady = onAllReady;
		this.serviceManager = serviceManager;
		this.versions = versions;
		this.currentVersion = initialVersion;
		this.backoff = new RestartBackoff(properties.getRestart().getInitialDelay(),
				properties.getRestart().getMaxDelay());
		this.primary = new ClusterStatus.Primary(ProcessHandle.current().pid(), ticker.now());
		publishStatus();
	}

	/**
	 * Where the available memory comes from: {@link AvailableMemory} unless a test says
	 * otherwise.
	 * @param availableMemory the available bytes, or -1 where unknown
	 */
	void setAvailableMemory(LongSupplier availableMemory) {
		this.availableMemory = availableMemory;
	}

	/**
	 * Hand the loop an event, from any thread.
	 * @param event what happened
	 */
	void post(Event event) {
		this.events.add(event);
	}

	/**
	 * Run the cluster until it is stopped or fails.
	 * @throws CrashLoopException if workers kept failing right after they started
	 * @throws InterruptedException if interrupted; every worker is killed
	 */
	void run() throws InterruptedException {
		logger.info("Cluster primary (pid " + this.primary.pid() + ") starting " + this.desired + " workers on "
				+ this.address + " (" + this.listen + " socket)");
		try {
			while (!isFinished()) {
				Event event = this.events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
				if (event != null) {
					handleOrDrop(event);
				}
				tick();
			}
		}
		catch (InterruptedException ex) {
			this.workers.values().forEach(WorkerHandle::kill);
			throw ex;
		}
		if (this.failure != null) {
			throw this.failure;
		}
		logger.info("Cluster stopped");
	}

	/**
	 * Handle an event; one that fails is logged and dropped, so that no message, however
	 * it came to be, stops every worker with the primary.
	 */
	private void handleOrDrop(Event event) {
		try {
			handle(event);
		}
		catch (RuntimeException ex) {
			logger.error("Dropped an event (" + event.getClass().getSimpleName() + ") that could not be handled", ex);
			if (event instanceof Event.OperatorCommand operator) {
				operator.reply().complete(new CommandReply(operator.command().requestId(), false,
						"The primary could not handle it: " + ex));
			}
		}
	}

	/**
	 * Handle every queued event, then do what is due: what one turn of {@link #run} does,
	 * without waiting.
	 */
	void runOnce() {
		Event event;
		while ((event = this.events.poll()) != null) {
			handleOrDrop(event);
		}
		tick();
	}

	boolean isFinished() {
		return this.stopping && this.workers.isEmpty();
	}

	CrashLoopException failure() {
		return this.failure;
	}

	ClusterStatus status() {
		return this.status;
	}

	/**
	 * The connections of the workers that serve now, one per id, for the metrics relay.
	 * @return the links of READY workers
	 */
	List<WorkerLink> readyLinks() {
		return this.readyLinks;
	}

	private void tick() {
		killWorkersDueToDie();
		if (!this.stopping) {
			replaceSilentWorkers();
			replaceOverdueWorkers();
			routeConnections();
			manageWorkerCount();
			advanceRollout();
			assignLead();
		}
		publishStatus();
		notifyServiceManager();
	}

	private void handle(Event event) {
		if (event instanceof Event.SignalReceived signal) {
			handleSignal(signal.name());
		}
		else if (event instanceof Event.WorkerExited exited) {
			WorkerHandle worker = this.workers.remove(exited.pid());
			if (worker != null) {
				handleExit(worker, exited.exitCode());
			}
		}
		else if (event instanceof Event.WorkerConnected connected) {
			handleConnected(connected.link());
		}
		else if (event instanceof Event.WorkerReported reported) {
			handleReport(reported.link(), reported.message());
		}
		else if (event instanceof Event.WorkerNotReading notReading) {
			WorkerHandle worker = this.workers.get(notReading.link().pid());
			if (worker != null) {
				killAsStuck(worker, "it stopped reading its control channel");
			}
		}
		else if (event instanceof Event.VersionPrepared prepared) {
			reloadWith(prepared.version());
		}
		else if (event instanceof Event.VersionFailed failed) {
			reloadFailed(failed.reason());
		}
		else if (event instanceof Event.OperatorCommand operator) {
			operator.reply().complete(handleOperatorCommand(operator.command()));
		}
	}

	// Operators: signals and commands

	private void handleSignal(String signal) {
		switch (signal) {
			case "TERM", "INT" -> {
				if (this.stopping && signal.equals("INT")) {
					logger.info("Interrupted again: killing workers now");
					this.workers.values().forEach(WorkerHandle::kill);
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

	/**
	 * Reload every worker with the version on disk: when the primary runs versions, it
	 * prepares that version first, off the loop.
	 */
	private String reload() {
		if (this.preparingReload
				|| this.pendingRollouts.stream().anyMatch((pending) -> pending.kind() == Kind.RELOAD)) {
			logger.info("Reload requested; one is already waiting to run");
			return "a reload is already waiting to run";
		}
		announceReload();
		String reload = "reload of " + this.desired + " workers";
		if (this.versions != null) {
			this.versions.prepare(this::post);
			this.preparingReload = true;
			reload += ", once the version on disk is prepared";
			if (this.rollout == null) {
				// Unpacking a new version competes with the workers, which it replaces next
				yieldToReplacements(allIds());
			}
		}
		else {
			this.pendingRollouts.add(rollout(Kind.RELOAD, "requested", allIds(), null));
		}
		if (this.rollout != null) {
			logger.info("Reload requested; it runs once the current " + this.rollout.kind() + " is done");
			return reload + ", after the current " + this.rollout.kind();
		}
		return reload;
	}

	private void reloadWith(Snapshot version) {
		this.preparingReload = false;
		if (!this.stopping) {
			String detail = version.equals(this.currentVersion) ? "requested" : "new version " + version;
			this.pendingRollouts.add(rollout(Kind.RELOAD, detail, allIds(), version));
		}
	}

	private void reloadFailed(String reason) {
		this.preparingReload = false;
		logger.error("Reload aborted: the new version could not be prepared: " + reason
				+ "; the previous workers keep serving");
		record("reload-aborted", null, reason);
		this.lastRollout = new ClusterStatus.Reload("reload", "aborted", reason, this.ticker.now(), this.ticker.now());
	}

	private String rollback() {
		// While a reload is under way, going back means to the version serving now
		Snapshot target = reloadUnderWay() ? this.currentVersion : this.previousVersion;
		if (target == null) {
			return null;
		}
		announceReload();
		logger.info("Rolling back to version " + target);
		this.pendingRollouts.add(rollout(Kind.RELOAD, "rollback to " + target, allIds(), target));
		return "rollback of " + this.desired + " workers to version " + target;
	}

	private Rollout rollout(Kind kind, String detail, List<Integer> ids, Snapshot target) {
		return new Rollout(kind, detail, ids, target, this.ticker.now(), this.properties.getMaxSurge());
	}

	private List<Integer> allIds() {
		return IntStream.rangeClosed(1, this.desired).boxed().toList();
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
		record("scale", null, this.desired + " -> " + instances);
		this.desired = instances;
		this.slots.forEach((id, slot) -> slot.served &= id <= instances);
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
			case "rollback" -> {
				String rollback = rollback();
				yield (rollback != null) ? new CommandReply(command.requestId(), true, rollback)
						: new CommandReply(command.requestId(), false, "No previous version to roll back to");
			}
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
				this.pendingRollouts
					.add(rollout(Kind.RESTART, "worker " + id + " requested", List.of(id), versionOf(id)));
				yield new CommandReply(command.requestId(), true, "restart of worker " + id + ", new one first");
			}
			default -> new CommandReply(command.requestId(), false,
					"Unknown action '" + command.action() + "': reload, rollback, scale or restart");
		};
	}

	/**
	 * A command from the command line, which may also stop the cluster: the HTTP surface
	 * cannot.
	 */
	private CommandReply handleOperatorCommand(Command command) {
		if ("stop".equals(command.action()) && !this.stopping) {
			stop("Stop requested on the command line: stopping the cluster");
			return new CommandReply(command.requestId(), true,
					"stop of " + this.workers.size() + " workers, each after its drain");
		}
		return handleCommand(command);
	}

	private void stop(String reason) {
		if (!this.stopping) {
			logger.info(reason);
			this.serviceManager.stopping();
			this.stopping = true;
			this.pendingRollouts.clear();
			this.rollout = null;
		}
		this.workers.values().forEach((worker) -> worker.retire(ExitReason.STOPPED, this.properties.getDrainTimeout()));
	}

	// Workers: what they report, and how they end

	private void handleConnected(WorkerLink link) {
		WorkerHandle worker = this.workers.get(link.pid());
		if (worker == null || worker.id() != link.workerId()) {
			logger.warn("Closing control connection of unknown worker " + link.workerId() + " (pid " + link.pid()
					+ ")");
			link.close();
			return;
		}
		worker.connected(link);
	}

	private void handleReport(WorkerLink link, ControlMessage message) {
		WorkerHandle worker = this.workers.get(link.pid());
		if (worker == null || worker.link() != link) {
			// Not the connection this worker's reports come on, such as one refused
			return;
		}
		if (message instanceof StateChanged changed && changed.state() == WorkerState.READY) {
			if (worker.ready()) {
				slot(worker.id()).version = worker.version();
				slot(worker.id()).served = true;
				logger.info("Worker " + worker.id() + " (pid " + worker.pid() + ") is ready");
				record("ready", worker, null);
			}
		}
		else if (message instanceof StateChanged changed && changed.state() == WorkerState.DRAINING) {
			if (worker.exitReason() == null && !this.stopping) {
				logger.info(worker + " is draining on a SIGTERM the primary did not send; starting its replacement");
				record("draining", worker, "on its own SIGTERM");
			}
			worker.drainsOnItsOwn(this.properties.getDrainTimeout());
		}
		else if (message instanceof Heartbeat heartbeat) {
			worker.heartbeat(heartbeat);
			recycleIfOverLimits(worker);
		}
		else if (message instanceof Command command) {
			worker.send(handleCommand(command));
		}
		else if (message instanceof Broadcast broadcast) {
			relay(worker, broadcast);
		}
		else if (message instanceof AdviceFound found) {
			found.advice().forEach(this::advise);
		}
	}

	/**
	 * List a finding of the cluster-readiness report, and log it the first time any
	 * worker reports it: one WARN per finding for the whole cluster, across restarts and
	 * reloads.
	 */
	private void advise(Advice advice) {
		if (this.advice.putIfAbsent(advice.key(), advice) == null) {
			logger.warn("Cluster advice [" + advice.code() + "] " + advice.subject() + ": " + advice.message() + " "
					+ advice.remedy() + " (cluster.advice.ignore=" + advice.code() + " silences this)");
		}
	}

	private void relay(WorkerHandle from, Broadcast broadcast) {
		// Receivers learn the sender from the primary, not from what the sender claims
		Broadcast relayed = new Broadcast(broadcast.topic(), broadcast.payload(), from.id(), broadcast.includeSender());
		for (WorkerHandle worker : this.workers.values()) {
			if (worker != from || relayed.includeSender()) {
				worker.send(relayed);
			}
		}
	}

	private void handleExit(WorkerHandle worker, int exitCode) {
		Slot slot = slot(worker.id());
		ExitReason reason = worker.exitReason();
		String exit = ExitCode.describe(exitCode, worker.wasKilled());
		slot.lastExitCode = exitCode;
		slot.lastExit = exit;
		record("exit", worker, exit + ((reason != null) ? " (" + reason + ")" : ""));
		if (this.rollout != null && this.rollout.isIncoming(worker)) {
			if (reason != ExitReason.SCALED_DOWN) {
				abortRollout(worker + " " + exit + " before it became ready"
						+ ((reason != null) ? " (" + reason + ")" : ""));
				return;
			}
			this.rollout.withdraw(worker);
		}
		if (this.stopping || (reason != null && !reason.isFailure())) {
			logger.info("Worker " + worker.id() + " (pid " + worker.pid() + ") " + exit
					+ ((reason != null) ? " (" + reason + ")" : ""));
			return;
		}
		// At the first start; once the cluster served, the healthy workers go on and a
		// configuration error counts as any failure towards cluster.restart.max-restarts
		if (exitCode == WorkerContract.CONFIGURATION_ERROR_EXIT_CODE && !worker.isReady() && !this.allReadyOnce) {
			this.failure = CrashLoopException.configurationError(worker.id(), exit);
			stop(this.failure.getMessage());
			return;
		}
		ClusterProperties.Restart restart = this.properties.getRestart();
		boolean stable = worker.ranStably(restart.getMinUptime());
		slot.failures = stable ? 1 : slot.failures + 1;
		if (!stable && slot.failures > restart.getMaxRestarts()) {
			this.failure = new CrashLoopException(worker.id(), exitCode, exit, slot.failures, worker.isReady());
			stop(this.failure.getMessage());
			return;
		}
		Duration delay = this.backoff.delay(slot.failures);
		slot.restarts++;
		slot.restartAtNanos = this.ticker.nanoTime() + delay.toNanos();
		logger.warn("Worker " + worker.id() + " (pid " + worker.pid() + ") " + exit
				+ ((reason != null) ? " (" + reason + ")" : "") + "; restarting it in " + delay.toMillis() + " ms");
		record("restart", worker, "in " + delay.toMillis() + " ms");
	}

	private void recycleIfOverLimits(WorkerHandle worker) {
		String reason = null;
		if (this.properties.getMaxMemory() != null && worker.rssBytes() > this.properties.getMaxMemory().toBytes()) {
			reason = "resident memory " + worker.rssBytes() / MEGABYTE + " MB is over cluster.max-memory";
		}
		else if (worker.reachedRequestLimit()) {
			reason = worker.requests() + " requests served, over cluster.max-requests";
		}
		if (reason != null && worker.holdsItsId() && !this.stopping && worker.scheduleRecycle()) {
			logger.info("Recycling " + worker + ": " + reason);
			record("recycle", worker, reason);
			this.pendingRollouts.add(rollout(Kind.RECYCLE, reason, List.of(worker.id()), worker.version()));
		}
	}

	// Periodic duties, in the order of tick()

	private void killWorkersDueToDie() {
		for (WorkerHandle worker : this.workers.values()) {
			if (worker.killIfDue()) {
				logger.warn("Killed " + worker + " (" + worker.exitReason() + ")"
						+ ((worker.state() == WorkerState.DRAINING)
								? ": still running after cluster.drain-timeout ("
										+ this.properties.getDrainTimeout().toSeconds() + " s)"
								: ""));
			}
		}
	}

	private void replaceSilentWorkers() {
		Duration timeout = this.properties.getHeartbeatTimeout();
		for (WorkerHandle worker : this.workers.values()) {
			worker.checkBootProgress();
			if (worker.isSilentFor(timeout)) {
				killAsStuck(worker, (worker.link() != null) ? "no heartbeat for " + timeout.toSeconds() + " s"
						: "not connected, and no CPU used, for " + timeout.toSeconds() + " s");
			}
		}
	}

	private void killAsStuck(WorkerHandle worker, String why) {
		if (worker.exitReason() != null) {
			return;
		}
		logger.error(worker + " is stuck: " + why + " (cluster.heartbeat-timeout); its thread dump follows, then "
				+ "it is killed and replaced");
		record("stuck", worker, why);
		worker.dumpThreadsAndKill(ExitReason.STUCK);
	}

	private void replaceOverdueWorkers() {
		Duration timeout = this.properties.getReadyTimeout();
		for (WorkerHandle worker : this.workers.values()) {
			if (worker.isBootOverdue(timeout)) {
				logger.error(worker + " is not ready and made no boot progress for " + timeout.toSeconds()
						+ " s (cluster.ready-timeout); its thread dump follows, then it is killed");
				record("boot-timeout", worker, "no boot progress for " + timeout.toSeconds() + " s");
				worker.dumpThreadsAndKill(ExitReason.BOOT_TIMEOUT);
			}
		}
	}

	/**
	 * Where the socket picks the worker ({@code cluster.listen=sticky}), route new
	 * connections to the ids up to the desired count that have served: not yet to a
	 * worker that is still booting for the first time, and no longer to one that is
	 * scaled down, before it drains.
	 */
	private void routeConnections() {
		int serving = 0;
		while (serving < this.desired && slot(serving + 1).served) {
			serving++;
		}
		if (serving > 0 && serving != this.routed) {
			this.routed = serving;
			try {
				this.launcher.route(serving);
			}
			catch (IOException ex) {
				logger.error("Cannot route new connections to " + serving + " workers: " + ex.getMessage());
			}
		}
	}

	private void manageWorkerCount() {
		for (WorkerHandle worker : List.copyOf(this.workers.values())) {
			if (worker.id() > this.desired && worker.holdsItsId()) {
				logger.info("Stopping " + worker + ": scaled down");
				worker.retire(ExitReason.SCALED_DOWN, this.properties.getDrainTimeout());
			}
		}
		for (int id = 1; id <= this.desired; id++) {
			if (servingWorker(id) == null && slot(id).isDue(this.ticker.nanoTime())) {
				launch(id, versionOf(id));
			}
		}
	}

	/**
	 * The workers a rollout replaces give their CPU to the replacements, which boot
	 * faster.
	 */
	private void yieldToReplacements(List<Integer> ids) {
		ids.stream()
			.map(this::servingWorker)
			.filter(Objects::nonNull)
			.forEach((outgoing) -> outgoing.yieldCpu(this.properties.getReplacedNiceness()));
	}

	/**
	 * Move the current rollout on: drain each worker whose replacement is READY, and
	 * launch replacements while fewer than {@code cluster.max-surge} are booting. Capacity
	 * never drops below the desired count.
	 * The replacement's exit, for any reason, aborts the rollout in
	 * {@link #handleExit}.
	 */
	private void advanceRollout() {
		if (this.rollout == null) {
			this.rollout = this.pendingRollouts.poll();
			if (this.rollout == null) {
				return;
			}
			logger.info("Starting " + this.rollout.kind() + " of " + this.rollout.size() + " worker(s)");
			if (this.rollout.kind() == Kind.RELOAD) {
				this.reloads++;
			}
			record(this.rollout.kind() + "-started", null, this.rollout.detail());
			this.lastRollout = this.rollout.status("running", this.rollout.detail(), null);
			yieldToReplacements(this.rollout.ids());
		}
		Rollout current = this.rollout;
		for (WorkerHandle outgoing : current.replaced()) {
			logger.info("Replacing " + outgoing + " with a new worker " + outgoing.id());
			outgoing.retire(ExitReason.REPLACED, this.properties.getDrainTimeout());
		}
		Integer id;
		while ((id = current.nextId((next) -> roomForAnotherWorker(current, next))) != null) {
			WorkerHandle outgoing = toReplace(id);
			if (outgoing == null) {
				continue;
			}
			WorkerHandle incoming = launch(id, current.target());
			if (incoming == null) {
				abortRollout("the replacement of worker " + id + " could not be launched");
				return;
			}
			current.replacing(outgoing, incoming);
		}
		if (current.isDone()) {
			logger.info("Finished " + current.kind());
			record(current.kind() + "-finished", null, current.detail());
			this.lastRollout = current.status("finished", current.detail(), this.ticker.now());
			this.rollout = null;
			if (current.kind() == Kind.RELOAD) {
				adoptVersion(current.target());
			}
			// Its workers ran the JDK on disk now: a no-op where their archive exists, a
			// training run for a new version or a JDK upgraded in place
			this.launcher.optimize(this.currentVersion, this.desired);
		}
	}

	/**
	 * The worker a rollout replaces for an id.
	 * @param id the id
	 * @return the worker, or {@code null} when none serves the id or it was scaled away:
	 * the rollout skips it
	 */
	private WorkerHandle toReplace(int id) {
		return (id <= this.desired) ? servingWorker(id) : null;
	}

	/**
	 * Whether the machine has the memory for the replacement of worker {@code id} to boot
	 * beside those booting already: the replaced worker's, for each of them, since they
	 * were launched together and have barely grown yet, and the workers they replace hold
	 * theirs until they have drained. The rollout asks only while a replacement is
	 * booting: one alone always boots, as with {@code cluster.max-surge=1}.
	 */
	private boolean roomForAnotherWorker(Rollout current, int id) {
		WorkerHandle outgoing = toReplace(id);
		if (outgoing == null) {
			return true;
		}
		long available = this.availableMemory.getAsLong();
		long needed = (current.booting() + 1) * outgoing.rssBytes();
		boolean room = available < 0 || available >= needed;
		if (!room && current.holdSurgeBack()) {
			logger.info("Booting " + current.booting() + " replacement(s) at once, fewer than cluster.max-surge: "
					+ "the machine has " + available / MEGABYTE + " MB available, and one more needs "
					+ needed / MEGABYTE + " MB (" + (current.booting() + 1) + " times worker " + outgoing.id()
					+ "'s " + outgoing.rssBytes() / MEGABYTE + " MB)");
		}
		return room;
	}

	private void abortRollout(String reason) {
		Rollout aborted = this.rollout;
		for (WorkerHandle incoming : aborted.incoming()) {
			incoming.retire(ExitReason.ABANDONED, this.properties.getDrainTimeout());
		}
		String kind = aborted.kind().toString();
		logger.error(kind.substring(0, 1).toUpperCase() + kind.substring(1) + " aborted: " + reason
				+ "; the previous workers keep serving");
		record(kind + "-aborted", null, reason);
		this.lastRollout = aborted.status("aborted", reason, this.ticker.now());
		this.rollout = null;
	}

	/**
	 * Keep exactly one lead, and move it as little as possible. The lead stays until it
	 * drains or dies, or a worker before it takes over: a lower id (worker 1 is the one
	 * {@code @ConditionalOnLeadWorker} picks), or the newer of a reload's pair, once that
	 * one is ready, or at once while the lead is not ready either. Without a lead, the
	 * ready worker with the lowest id leads, or while none is ready, the lowest id that is
	 * connected, so that scheduled tasks run from the cluster's first start.
	 */
	private void assignLead() {
		WorkerHandle current = this.workers.values()
			.stream()
			.filter((worker) -> worker.isLead() && worker.canLead())
			.findFirst()
			.orElse(null);
		WorkerHandle lead = this.workers.values()
			.stream()
			.filter(WorkerHandle::canLead)
			.filter((worker) -> current == null || worker == current || worker.takesLeadFrom(current))
			.min(LEAD_PREFERENCE)
			.orElse(null);
		for (WorkerHandle worker : this.workers.values()) {
			if (worker.isLead() && worker != lead) {
				worker.lead(false);
			}
		}
		if (lead != null && !lead.isLead()) {
			logger.info(lead + " is the lead worker");
			record("lead", lead, null);
			lead.lead(true);
		}
	}

	private WorkerHandle servingWorker(int id) {
		// In launch order, so during a rollout this is the worker being replaced
		for (WorkerHandle worker : this.workers.values()) {
			if (worker.id() == id && worker.holdsItsId()) {
				return worker;
			}
		}
		return null;
	}

	/**
	 * The version a new worker with this id runs: that of the last worker that served
	 * the id, or the cluster's current version.
	 */
	private Snapshot versionOf(int id) {
		Slot slot = this.slots.get(id);
		return (slot != null && slot.version != null) ? slot.version : this.currentVersion;
	}

	private void adoptVersion(Snapshot version) {
		if (version == null || version.equals(this.currentVersion)) {
			return;
		}
		logger.info("Now running version " + version + "; " + this.currentVersion + " is kept for a rollback");
		this.previousVersion = this.currentVersion;
		this.currentVersion = version;
		Set<Snapshot> inUse = new LinkedHashSet<>();
		inUse.add(this.currentVersion);
		inUse.add(this.previousVersion);
		this.workers.values().stream().map(WorkerHandle::version).forEach(inUse::add);
		this.pendingRollouts.stream().map(Rollout::target).forEach(inUse::add);
		inUse.remove(null);
		this.versions.retain(inUse);
	}

	private WorkerHandle launch(int id, Snapshot version) {
		Slot slot = slot(id);
		int generation = slot.generation + 1;
		try {
			int logSlot = freeLogSlot();
			WorkerProcess process = this.launcher.launch(id, generation, logSlot, this.desired, version,
					(pid, exitCode) -> post(new Event.WorkerExited(pid, exitCode)));
			WorkerHandle worker = new WorkerHandle(id, generation, logSlot, process, version, this.ticker,
					requestLimit());
			slot.generation = generation;
			slot.restartAtNanos = 0;
			this.workers.put(worker.pid(), worker);
			record("start", worker, "generation " + generation);
			return worker;
		}
		catch (IOException ex) {
			logger.error("Cannot launch worker " + id + ": " + ex.getMessage());
			slot.restartAtNanos = this.ticker.nanoTime() + this.backoff.maxDelay().toNanos();
			return null;
		}
	}

	/**
	 * The lowest log slot no living worker holds: a worker keeps its slot until its
	 * process ends, so that a reload's new worker never writes the file of the one it
	 * replaces, which still drains.
	 */
	private int freeLogSlot() {
		Set<Integer> held = new HashSet<>();
		this.workers.values().forEach((worker) -> held.add(worker.logSlot()));
		return IntStream.iterate(1, (slot) -> slot + 1).filter((slot) -> !held.contains(slot)).findFirst().getAsInt();
	}

	private long requestLimit() {
		long maxRequests = this.properties.getMaxRequests();
		long jitter = this.properties.getMaxRequestsJitter();
		if (maxRequests <= 0) {
			return 0;
		}
		return maxRequests + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
	}

	// What the loop reports

	/**
	 * Tell the service manager that a reload started: one that ends, finished or not, is
	 * followed by {@code READY=1} in {@link #notifyServiceManager}.
	 */
	private void announceReload() {
		if (!this.reloadAnnounced && this.allReadyOnce) {
			this.serviceManager.reloading(this.ticker.nanoTime() / 1000);
			this.reloadAnnounced = true;
		}
	}

	private boolean reloadUnderWay() {
		return this.preparingReload || (this.rollout != null && this.rollout.kind() == Kind.RELOAD)
				|| this.pendingRollouts.stream().anyMatch((pending) -> pending.kind() == Kind.RELOAD);
	}

	private void notifyServiceManager() {
		if (this.reloadAnnounced && !reloadUnderWay()) {
			this.reloadAnnounced = false;
			if (!this.stopping) {
				this.serviceManager.ready();
			}
		}
		String status = serviceStatus();
		if (!status.equals(this.lastServiceStatus)) {
			this.lastServiceStatus = status;
			this.serviceManager.status(status);
		}
		Duration watchdog = this.serviceManager.watchdogInterval();
		if (watchdog != null && this.ticker.nanoTime() - this.lastWatchdogNanos >= watchdog.toNanos()) {
			this.lastWatchdogNanos = this.ticker.nanoTime();
			this.serviceManager.watchdog();
		}
	}

	/**
	 * The cluster in one line, for {@code systemctl status}.
	 */
	private String serviceStatus() {
		if (this.stopping) {
			return "Stopping: " + this.workers.size() + ((this.workers.size() == 1) ? " worker" : " workers") + " left";
		}
		long ready = this.workers.values().stream().filter((worker) -> worker.isReady() && worker.holdsItsId()).count();
		String status = ready + " of " + this.desired + " workers ready";
		if (this.rollout != null) {
			status += "; " + this.rollout.kind() + " running";
		}
		else if (this.preparingReload) {
			status += "; preparing a reload";
		}
		return status + "; " + this.reloads + ((this.reloads == 1) ? " reload" : " reloads") + " so far";
	}

	private Slot slot(int id) {
		return this.slots.computeIfAbsent(id, (key) -> new Slot());
	}

	private void record(String type, WorkerHandle worker, String detail) {
		if (this.history.size() == EVENTS_KEPT) {
			this.history.removeFirst();
		}
		this.history.addLast(new ClusterStatus.Event(this.ticker.now(), type, (worker != null) ? worker.id() : null,
				(worker != null) ? worker.pid() : null, detail));
	}

	private void publishStatus() {
		List<ClusterStatus.Worker> statuses = new ArrayList<>();
		List<WorkerLink> ready = new ArrayList<>();
		for (WorkerHandle worker : this.workers.values()) {
			Slot slot = slot(worker.id());
			statuses.add(worker.status(slot.restarts, slot.lastExitCode, slot.lastExit()));
			if (worker.isReady() && worker.holdsItsId() && worker.link() != null) {
				ready.add(worker.link());
			}
		}
		this.slots.forEach((id, slot) -> {
			if (id <= this.desired && servingWorker(id) == null && !this.stopping) {
				Snapshot version = versionOf(id);
				statuses.add(new ClusterStatus.Worker(id, null, WorkerState.RESTARTING, slot.generation, slot.restarts,
						null, 0, 0, 0, slot.lastExitCode, slot.lastExit(), 0, 0, 0,
						(version != null) ? version.toString() : null, false, 0, null));
			}
		});
		statuses.sort(Comparator.comparingInt(ClusterStatus.Worker::id).thenComparing(ClusterStatus.Worker::generation));
		this.readyLinks = List.copyOf(ready);
		ClusterStatus.Versions version = (this.currentVersion != null)
				? new ClusterStatus.Versions(this.currentVersion.toString(),
						(this.previousVersion != null) ? this.previousVersion.toString() : null)
				: null;
		this.status = new ClusterStatus("cluster", this.listen, this.address, this.primary, this.desired, version,
				List.copyOf(statuses), this.lastRollout, this.reloads, List.copyOf(this.history),
				List.copyOf(this.advice.values()));
		if (!this.allReadyOnce && ready.size() == this.desired) {
			this.allReadyOnce = true;
			this.serviceManager.ready();
			this.onAllReady.run();
			this.launcher.optimize(this.currentVersion, this.desired);
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

		private String lastExit;

		private long restartAtNanos;

		private Snapshot version;

		private boolean served;

		boolean isDue(long nowNanos) {
			return this.restartAtNanos == 0 || nowNanos - this.restartAtNanos >= 0;
		}

		String lastExit() {
			return this.lastExit;
		}

	}

}
