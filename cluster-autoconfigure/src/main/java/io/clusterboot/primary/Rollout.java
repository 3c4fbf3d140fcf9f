package io.clusterboot.primary;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.ClusterStatus;

/**
 * Workers being replaced one at a time, each by a new process that must become READY
 * before the old one drains, so that capacity never drops: a reload of every worker, or
 * the recycle or restart of one.
 */
final class Rollout {

	private final Kind kind;

	private final String detail;

	private final Deque<Integer> ids;

	private final Instant startedAt;

	private final Snapshot target;

	private WorkerHandle incoming;

	private WorkerHandle outgoing;

	Rollout(Kind kind, String detail, List<Integer> ids, Snapshot target, Instant startedAt) {
		this.kind = kind;
		this.detail = detail;
		this.ids = new ArrayDeque<>(ids);
		this.target = target;
		this.startedAt = startedAt;
	}

	Kind kind() {
		return this.kind;
	}

	String detail() {
		return this.detail;
	}

	/**
	 * The version the replacements run.
	 * @return the version, {@code null} when the primary runs no versions
	 */
	Snapshot target() {
		return this.target;
	}

	/**
	 * The ids still to replace.
	 * @return the ids, in order
	 */
	List<Integer> ids() {
		return List.copyOf(this.ids);
	}

	int size() {
		return this.ids.size();
	}

	/**
	 * The next id to replace, once the current replacement is done.
	 * @return the id, or {@code null} when every id was replaced
	 */
	Integer nextId() {
		return this.ids.poll();
	}

	/**
	 * Start replacing a worker.
	 * @param outgoing the worker that serves the id now
	 * @param incoming its replacement, just launched
	 */
	void replacing(WorkerHandle outgoing, WorkerHandle incoming) {
		this.outgoing = outgoing;
		this.incoming = incoming;
	}

	/**
	 * The replacement being waited for.
	 * @return the incoming worker, {@code null} between replacements
	 */
	WorkerHandle incoming() {
		return this.incoming;
	}

	/**
	 * The incoming worker is ready: the outgoing one can go.
	 * @return the outgoing worker
	 */
	WorkerHandle replaced() {
		WorkerHandle replaced = this.outgoing;
		this.incoming = null;
		this.outgoing = null;
		return replaced;
	}

	ClusterStatus.Reload status(String state, String why, Instant endedAt) {
		return new ClusterStatus.Reload(this.kind.toString(), state, why, this.startedAt, endedAt);
	}

	/**
	 * What a rollout is for.
	 */
	enum Kind {

		RELOAD, RECYCLE, RESTART;

		@Override
		public String toString() {
			return name().toLowerCase();
		}

	}

}
