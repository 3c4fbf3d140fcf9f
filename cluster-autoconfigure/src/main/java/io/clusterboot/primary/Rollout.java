package io.clusterboot.primary;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.ClusterStatus;

/**
 * Workers being replaced, each by a new process that must become READY before the old one
 * drains, so that capacity never drops: a reload of every worker, or the recycle or
 * restart of one. At most {@code surge} replacements boot at once.
 */
final class Rollout {

	private final Kind kind;

	private final String detail;

	private final Deque<Integer> ids;

	private final Instant startedAt;

	private final Snapshot target;

	private final int surge;

	private boolean surgeHeldBack;

	/** Replacements that are booting, each with the worker it replaces. */
	private final Map<WorkerHandle, WorkerHandle> replacing = new LinkedHashMap<>();

	Rollout(Kind kind, String detail, List<Integer> ids, Snapshot target, Instant startedAt, int surge) {
		this.kind = kind;
		this.detail = detail;
		this.ids = new ArrayDeque<>(ids);
		this.target = target;
		this.startedAt = startedAt;
		this.surge = Math.max(1, surge);
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
	 * The next id to replace, if another replacement may boot now: fewer than
	 * {@code surge} are booting, and none is, or there is room for one more beside them.
	 * @param roomBesideBooting whether the replacement of an id fits beside those booting
	 * @return the id, or {@code null} when no replacement may boot now or every id was
	 * taken
	 */
	Integer nextId(IntPredicate roomBesideBooting) {
		Integer id = this.ids.peek();
		if (id == null || this.replacing.size() >= this.surge
				|| (!this.replacing.isEmpty() && !roomBesideBooting.test(id))) {
			return null;
		}
		return this.ids.poll();
	}

	/**
	 * Note that fewer replacements boot at once than the surge allows.
	 * @return {@code true} the first time, to say it once
	 */
	boolean holdSurgeBack() {
		boolean first = !this.surgeHeldBack;
		this.surgeHeldBack = true;
		return first;
	}

	/**
	 * How many replacements are booting.
	 * @return the count
	 */
	int booting() {
		return this.replacing.size();
	}

	/**
	 * Whether every id was replaced.
	 * @return {@code true} once no id is left and no replacement is booting
	 */
	boolean isDone() {
		return this.ids.isEmpty() && this.replacing.isEmpty();
	}

	/**
	 * Start replacing a worker.
	 * @param outgoing the worker that serves the id now
	 * @param incoming its replacement, just launched
	 */
	void replacing(WorkerHandle outgoing, WorkerHandle incoming) {
		this.replacing.put(incoming, outgoing);
	}

	/**
	 * Stop waiting for a replacement whose id is gone (scaled down): the rollout goes on
	 * without it.
	 * @param incoming the replacement
	 */
	void withdraw(WorkerHandle incoming) {
		this.replacing.remove(incoming);
	}

	/**
	 * Whether a worker is one of the replacements still booting.
	 * @param worker a worker
	 * @return {@code true} if the rollout waits for it
	 */
	boolean isIncoming(WorkerHandle worker) {
		return this.replacing.containsKey(worker);
	}

	/**
	 * The replacements still booting.
	 * @return the incoming workers
	 */
	List<WorkerHandle> incoming() {
		return List.copyOf(this.replacing.keySet());
	}

	/**
	 * The workers whose replacements are ready: they can go.
	 * @return the outgoing workers, no longer tracked
	 */
	List<WorkerHandle> replaced() {
		List<WorkerHandle> replaced = new ArrayList<>();
		this.replacing.entrySet().removeIf((pair) -> pair.getKey().isReady() && replaced.add(pair.getValue()));
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
