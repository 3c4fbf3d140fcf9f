package io.clusterboot.supervisor;

import java.time.Duration;
import java.time.Instant;

import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;
import io.clusterboot.control.ControlMessage;
import io.clusterboot.control.ControlServer.WorkerConnection;

/**
 * One worker process in the primary's table. Only the supervisor loop touches it.
 */
final class Worker {

	private final int id;

	private final int generation;

	private final Process process;

	private final Instant startedAt = Instant.now();

	private final long startedNanos = System.nanoTime();

	private WorkerState state = WorkerState.STARTING;

	private long readyNanos;

	private long lastHeardNanos = this.startedNanos;

	private long heapUsedBytes;

	private long rssBytes;

	private WorkerConnection connection;

	private long stopDeadlineNanos;

	private boolean killed;

	Worker(int id, int generation, Process process) {
		this.id = id;
		this.generation = generation;
		this.process = process;
	}

	int id() {
		return this.id;
	}

	int generation() {
		return this.generation;
	}

	long pid() {
		return this.process.pid();
	}

	Process process() {
		return this.process;
	}

	WorkerState state() {
		return this.state;
	}

	boolean isStopping() {
		return this.state == WorkerState.DRAINING;
	}

	/**
	 * Whether this worker serves, or is about to serve, its id.
	 * @return {@code true} unless it is being stopped
	 */
	boolean holdsItsId() {
		return !isStopping();
	}

	void connected(WorkerConnection connection) {
		this.connection = connection;
		heard();
	}

	void ready() {
		if (this.state == WorkerState.STARTING) {
			this.state = WorkerState.READY;
			this.readyNanos = System.nanoTime();
		}
		heard();
	}

	void heartbeat(long heapUsedBytes, long rssBytes) {
		this.heapUsedBytes = heapUsedBytes;
		this.rssBytes = rssBytes;
		heard();
	}

	private void heard() {
		this.lastHeardNanos = System.nanoTime();
	}

	/**
	 * Whether this worker has been READY for at least the given time.
	 * @param minUptime how long counts as stable
	 * @return {@code true} for a stable run
	 */
	boolean ranStably(Duration minUptime) {
		return this.readyNanos != 0 && System.nanoTime() - this.readyNanos >= minUptime.toNanos();
	}

	Duration silence() {
		return Duration.ofNanos(System.nanoTime() - this.lastHeardNanos);
	}

	/**
	 * Ask the worker to drain and exit, and note when it must be gone.
	 * @param drainTimeout how long it may take
	 */
	void stop(Duration drainTimeout) {
		if (!isStopping()) {
			this.state = WorkerState.DRAINING;
			this.stopDeadlineNanos = System.nanoTime() + drainTimeout.toNanos();
			this.process.destroy();
		}
	}

	/**
	 * Kill the worker if it is past its drain timeout.
	 * @return {@code true} if it was killed now
	 */
	boolean killIfOverdue() {
		if (isStopping() && !this.killed && System.nanoTime() - this.stopDeadlineNanos > 0) {
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
				uptimeMs, this.heapUsedBytes, this.rssBytes, lastExitCode);
	}

	@Override
	public String toString() {
		return "worker " + this.id + " (pid " + pid() + ")";
	}

}
