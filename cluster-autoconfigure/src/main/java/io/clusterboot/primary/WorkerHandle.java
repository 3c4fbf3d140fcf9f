package io.clusterboot.primary;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.WorkerState;

/**
 * One worker process in the primary's table: its state, what it last reported, and why
 * it is expected to exit, if it is. Only the supervisor loop touches it.
 */
final class WorkerHandle {

	/**
	 * The order in which workers are offered the lead: the lowest id first (worker 1 is
	 * the one {@code @ConditionalOnLeadWorker} picks), and of a reload's pair the newer.
	 */
	static final Comparator<WorkerHandle> LEAD_ORDER = Comparator.comparingInt(WorkerHandle::id)
		.thenComparing(Comparator.comparingInt(WorkerHandle::generation).reversed());

	/**
	 * How long a worker has to print its thread dump before it is killed.
	 */
	static final Duration THREAD_DUMP_GRACE = Duration.ofSeconds(1);

	/**
	 * Beyond the drain timeout, time for the worker's own shutdown after its drain.
	 */
	static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

	private final int id;

	private final int generation;

	private final int logSlot;

	private final WorkerProcess process;

	private final Ticker ticker;

	private final long requestLimit;

	private final Snapshot version;

	private final Instant startedAt;

	private final long startedNanos;

	private WorkerState state = WorkerState.STARTING;

	private long readyNanos;

	private long lastHeardNanos;

	private Duration cpuTime = Duration.ZERO;

	private long bootProgressNanos;

	private WorkerLink link;

	private Heartbeat heartbeat = new Heartbeat(0, 0, 0, 0, 0, 0);

	private long rssBytes;

	private ExitReason exitReason;

	private long killAtNanos;

	private boolean killScheduled;

	private boolean killed;

	private boolean recycleScheduled;

	private boolean lead;

	private int niceness;

	WorkerHandle(int id, int generation, int logSlot, WorkerProcess process, Snapshot version, Ticker ticker,
			long requestLimit) {
		this.id = id;
		this.generation = generation;
		this.logSlot = logSlot;
		this.process = process;
		this.version = version;
		this.ticker = ticker;
		this.requestLimit = requestLimit;
		this.startedAt = ticker.now();
		this.startedNanos = ticker.nanoTime();
		// A worker that never connects is as silent as one that stops heartbeating
		this.lastHeardNanos = this.startedNanos;
		this.bootProgressNanos = this.startedNanos;
	}

	int id() {
		return this.id;
	}

	int generation() {
		return this.generation;
	}

	int logSlot() {
		return this.logSlot;
	}

	long pid() {
		return this.process.pid();
	}

	WorkerState state() {
		return this.state;
	}

	/**
	 * The version this worker runs.
	 * @return the version, {@code null} when the primary runs no versions
	 */
	Snapshot version() {
		return this.version;
	}

	boolean isReady() {
		return this.state == WorkerState.READY;
	}

	/**
	 * Why this worker is expected to exit.
	 * @return the reason, {@code null} while it serves or boots
	 */
	ExitReason exitReason() {
		return this.exitReason;
	}

	/**
	 * Whether this worker serves, or is about to serve, its id. One that failed keeps it
	 * until its exit is handled, so that its restart waits for the backoff.
	 * @return {@code false} once it is expected to exit for any other reason
	 */
	boolean holdsItsId() {
		return this.exitReason == null || this.exitReason.isFailure();
	}

	void connected(WorkerLink link) {
		this.link = link;
		this.lastHeardNanos = this.ticker.nanoTime();
	}

	/**
	 * Mark a starting worker READY.
	 * @return {@code true} if it was starting, {@code false} if the report is stale
	 */
	boolean ready() {
		if (this.state != WorkerState.STARTING || this.exitReason != null) {
			return false;
		}
		this.state = WorkerState.READY;
		this.readyNanos = this.ticker.nanoTime();
		return true;
	}

	/**
	 * Give this worker's CPU to the workers that replace it: it stays at the lower
	 * priority until it exits.
	 * @param niceness the nice value, 0 to leave it as it is
	 */
	void yieldCpu(int niceness) {
		if (niceness > this.niceness) {
			this.process.lowerPriority(niceness);
			this.niceness = niceness;
		}
	}

	void heartbeat(Heartbeat heartbeat) {
		if (heartbeat.loadedClasses() > this.heartbeat.loadedClasses()) {
			this.bootProgressNanos = this.ticker.nanoTime();
		}
		this.heartbeat = heartbeat;
		this.rssBytes = this.process.residentBytes();
		this.lastHeardNanos = this.ticker.nanoTime();
	}

	/**
	 * A worker that is booting shows that it is alive by using CPU, before it can
	 * connect and heartbeat; that is its progress too until it reports loaded classes.
	 */
	void checkBootProgress() {
		if (this.state == WorkerState.STARTING && this.link == null) {
			Duration used = this.process.cpuTime();
			if (used.compareTo(this.cpuTime) > 0) {
				this.cpuTime = used;
				this.lastHeardNanos = this.ticker.nanoTime();
				this.bootProgressNanos = this.lastHeardNanos;
			}
		}
	}

	long rssBytes() {
		return this.rssBytes;
	}

	long requests() {
		return this.heartbeat.requests();
	}

	boolean reachedRequestLimit() {
		return this.requestLimit > 0 && this.heartbeat.requests() >= this.requestLimit;
	}

	/**
	 * Whether this worker has been READY for at least the given time.
	 * @param minUptime how long counts as stable
	 * @return {@code true} for a stable run
	 */
	boolean ranStably(Duration minUptime) {
		return this.readyNanos != 0 && this.ticker.nanoTime() - this.readyNanos >= minUptime.toNanos();
	}

	/**
	 * Whether this worker, booting or serving, has not been heard from for longer than
	 * the timeout: no heartbeat, and while it boots, no CPU used either.
	 * @param timeout the heartbeat timeout
	 * @return {@code true} if it looks stuck
	 */
	boolean isSilentFor(Duration timeout) {
		return this.exitReason == null && this.ticker.nanoTime() - this.lastHeardNanos > timeout.toNanos();
	}

	/**
	 * Whether this worker is still starting and made no progress for the given time: it
	 * loaded no class, or before it connected, used no CPU. A boot that is slow because
	 * the machine is busy keeps making progress.
	 * @param readyTimeout how long a booting worker may go without progress
	 * @return {@code true} if it is overdue
	 */
	boolean isBootOverdue(Duration readyTimeout) {
		return this.exitReason == null && this.state == WorkerState.STARTING
				&& this.ticker.nanoTime() - this.bootProgressNanos > readyTimeout.toNanos();
	}

	/**
	 * Mark this worker to be recycled, once.
	 * @return {@code false} if it already was
	 */
	boolean scheduleRecycle() {
		boolean first = !this.recycleScheduled;
		this.recycleScheduled = true;
		return first;
	}

	/**
	 * Ask the worker to drain and exit; it is killed if still running after the drain
	 * timeout.
	 * @param reason why it is to exit
	 * @param drainTimeout how long it may take
	 */
	void retire(ExitReason reason, Duration drainTimeout) {
		if (this.exitReason == null) {
			this.exitReason = reason;
			this.state = WorkerState.DRAINING;
			scheduleKill(drainTimeout.plus(SHUTDOWN_MARGIN));
			this.process.terminate();
		}
	}

	/**
	 * The worker reported that it drains, on a SIGTERM the primary did not send. It is
	 * killed if still running after the drain timeout.
	 * @param drainTimeout how long it may take
	 */
	void drainsOnItsOwn(Duration drainTimeout) {
		if (this.exitReason == null) {
			this.exitReason = ExitReason.DRAINED;
			this.state = WorkerState.DRAINING;
			scheduleKill(drainTimeout.plus(SHUTDOWN_MARGIN));
		}
	}

	/**
	 * Have the JVM print its threads to its log, then kill it shortly after.
	 * @param reason why it is killed
	 */
	void dumpThreadsAndKill(ExitReason reason) {
		if (this.exitReason == null) {
			this.exitReason = reason;
			this.process.dumpThreads();
			scheduleKill(THREAD_DUMP_GRACE);
		}
	}

	private void scheduleKill(Duration delay) {
		this.killScheduled = true;
		this.killAtNanos = this.ticker.nanoTime() + delay.toNanos();
	}

	/**
	 * Kill the worker if its scheduled kill is due.
	 * @return {@code true} if it was killed now
	 */
	boolean killIfDue() {
		if (this.killScheduled && !this.killed && this.ticker.nanoTime() - this.killAtNanos >= 0) {
			kill();
			return true;
		}
		return false;
	}

	/**
	 * Whether the primary killed this worker.
	 * @return {@code true} once it sent SIGKILL
	 */
	boolean wasKilled() {
		return this.killed;
	}

	void kill() {
		this.killed = true;
		this.process.kill();
	}

	/**
	 * Queue a message for the worker, if it is connected.
	 * @param message the message
	 * @return {@code false} if the worker is connected and not reading
	 */
	boolean send(ControlMessage message) {
		return this.link == null || this.link.send(message);
	}

	WorkerLink link() {
		return this.link;
	}

	boolean isLead() {
		return this.lead;
	}

	/**
	 * Make this worker the lead, or no longer the lead, and tell it.
	 * @param lead whether it leads from now on
	 */
	void lead(boolean lead) {
		this.lead = lead;
		send(new ControlMessage.Lead(lead));
	}

	/**
	 * Whether this worker can take the lead: connected, so that it can be told, and
	 * neither draining nor expected to exit.
	 * @return whether it can lead
	 */
	boolean canLead() {
		return this.link != null && this.exitReason == null && this.state != WorkerState.DRAINING;
	}

	/**
	 * Whether this worker takes the lead from the current lead: it comes before it (a
	 * lower id, or the newer of a reload's pair), and it is ready, or the lead is not.
	 * @param lead the current lead
	 * @return whether the lead moves to this worker
	 */
	boolean takesLeadFrom(WorkerHandle lead) {
		return LEAD_ORDER.compare(this, lead) < 0 && (isReady() || !lead.isReady());
	}

	ClusterStatus.Worker status(int restarts, Integer lastExitCode, String lastExit) {
		long uptimeMs = Duration.ofNanos(this.ticker.nanoTime() - this.startedNanos).toMillis();
		return new ClusterStatus.Worker(this.id, pid(), this.state, this.generation, restarts, this.startedAt,
				uptimeMs, this.heartbeat.heapUsedBytes(), this.rssBytes, lastExitCode, lastExit,
				this.heartbeat.requests(), this.heartbeat.inFlight(), this.heartbeat.cpu(),
				(this.version != null) ? this.version.toString() : null, this.lead,
				this.heartbeat.webSocketSessions(), this.process.pinnedCpu());
	}

	@Override
	public String toString() {
		return "worker " + this.id + " (pid " + pid() + ")";
	}

}
