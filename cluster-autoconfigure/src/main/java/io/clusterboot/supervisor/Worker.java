package io.clusterboot.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;
import io.clusterboot.control.ControlMessage;
import io.clusterboot.control.ControlMessage.Heartbeat;
import io.clusterboot.control.ControlServer.WorkerConnection;

/**
 * One worker process in the primary's table. Only the supervisor loop touches it.
 */
final class Worker {

	/**
	 * How long a worker has to print its thread dump before it is killed.
	 */
	private static final Duration THREAD_DUMP_GRACE = Duration.ofSeconds(1);

	/**
	 * Beyond the drain timeout, time for the worker's own shutdown after its drain.
	 */
	private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

	private final int id;

	private final int generation;

	private final Process process;

	private final long requestLimit;

	private final Instant startedAt = Instant.now();

	private final long startedNanos = System.nanoTime();

	private WorkerState state = WorkerState.STARTING;

	private long readyNanos;

	private long lastHeardNanos;

	private WorkerConnection connection;

	private Heartbeat heartbeat = new Heartbeat(0, 0, 0, 0);

	private long rssBytes;

	private long killAtNanos;

	private boolean killScheduled;

	private boolean killed;

	private boolean replacementScheduled;

	Worker(int id, int generation, Process process, long requestLimit) {
		this.id = id;
		this.generation = generation;
		this.process = process;
		this.requestLimit = requestLimit;
	}

	int id() {
		return this.id;
	}

	long pid() {
		return this.process.pid();
	}

	WorkerState state() {
		return this.state;
	}

	boolean isReady() {
		return this.state == WorkerState.READY;
	}

	boolean isStopping() {
		return this.state == WorkerState.DRAINING;
	}

	/**
	 * Whether this worker serves, or is about to serve, its id.
	 * @return {@code true} unless it is being stopped
	 */
	boolean holdsItsId() {
		return !isStopping() && !this.killScheduled;
	}

	void connected(WorkerConnection connection) {
		this.connection = connection;
		this.lastHeardNanos = System.nanoTime();
	}

	/**
	 * Mark a starting worker READY.
	 * @return {@code true} if it was starting, {@code false} if the report is stale
	 */
	boolean ready() {
		if (this.state != WorkerState.STARTING) {
			return false;
		}
		this.state = WorkerState.READY;
		this.readyNanos = System.nanoTime();
		return true;
	}

	void heartbeat(Heartbeat heartbeat, long rssBytes) {
		this.heartbeat = heartbeat;
		this.rssBytes = rssBytes;
		this.lastHeardNanos = System.nanoTime();
	}

	long rssBytes() {
		return this.rssBytes;
	}

	boolean reachedRequestLimit() {
		return this.requestLimit > 0 && this.heartbeat.requests() >= this.requestLimit;
	}

	long requests() {
		return this.heartbeat.requests();
	}

	/**
	 * Whether this worker has been READY for at least the given time.
	 * @param minUptime how long counts as stable
	 * @return {@code true} for a stable run
	 */
	boolean ranStably(Duration minUptime) {
		return this.readyNanos != 0 && System.nanoTime() - this.readyNanos >= minUptime.toNanos();
	}

	/**
	 * Whether a connected worker has sent no heartbeat for longer than the timeout.
	 * @param timeout the heartbeat timeout
	 * @return {@code true} if it looks stuck
	 */
	boolean isSilentFor(Duration timeout) {
		return this.connection != null && holdsItsId() && System.nanoTime() - this.lastHeardNanos > timeout.toNanos();
	}

	/**
	 * Mark this worker to be replaced by a rollout, once.
	 * @return {@code false} if it already was
	 */
	boolean scheduleReplacement() {
		boolean first = !this.replacementScheduled;
		this.replacementScheduled = true;
		return first;
	}

	/**
	 * Ask the worker to drain and exit; it is killed if still running after the drain
	 * timeout.
	 * @param drainTimeout how long it may take
	 */
	void stop(Duration drainTimeout) {
		if (!isStopping()) {
			this.state = WorkerState.DRAINING;
			scheduleKill(drainTimeout.plus(SHUTDOWN_MARGIN));
			this.process.destroy();
		}
	}

	/**
	 * Have the JVM print its threads to its log, then kill it shortly after.
	 */
	void dumpThreadsAndKill() {
		try {
			new ProcessBuilder("kill", "-QUIT", Long.toString(pid())).inheritIO().start();
		}
		catch (IOException ex) {
			// The kill follows anyway
		}
		scheduleKill(THREAD_DUMP_GRACE);
	}

	private void scheduleKill(Duration delay) {
		this.killScheduled = true;
		this.killAtNanos = System.nanoTime() + delay.toNanos();
	}

	/**
	 * Kill the worker if its scheduled kill is due.
	 * @return {@code true} if it was killed now
	 */
	boolean killIfDue() {
		if (this.killScheduled && !this.killed && System.nanoTime() - this.killAtNanos >= 0) {
			kill();
			return true;
		}
		return false;
	}

	void kill() {
		this.killed = true;
		this.process.destroyForcibly();
	}

	void send(ControlMessage message) {
		if (this.connection != null) {
			this.connection.send(message);
		}
	}

	ClusterStatus.Worker status(int restarts, Integer lastExitCode) {
		long uptimeMs = Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis();
		return new ClusterStatus.Worker(this.id, pid(), this.state, this.generation, restarts, this.startedAt,
				uptimeMs, this.heartbeat.heapUsedBytes(), this.rssBytes, lastExitCode, this.heartbeat.requests(),
				this.heartbeat.inFlight(), this.heartbeat.cpu());
	}

	@Override
	public String toString() {
		return "worker " + this.id + " (pid " + pid() + ")";
	}

}
