package io.clusterboot.primary;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.primary.snapshot.Snapshot;

/**
 * A launcher that can launch the cluster's first workers before the supervisor exists,
 * and hands each over when the supervisor launches that worker: the same id, the first
 * generation, the same log slot, count and version. The supervisor never knows; a worker
 * it takes over simply booted sooner.
 */
final class AheadLaunchedWorkers implements WorkerLauncher {

	private final WorkerLauncher launcher;

	private final Map<Integer, Ahead> waiting = new LinkedHashMap<>();

	AheadLaunchedWorkers(WorkerLauncher launcher) {
		this.launcher = launcher;
	}

	/**
	 * Launch workers 1 to {@code count} of the first generation, as the supervisor will
	 * ask for them. If one cannot be launched, those already launched are stopped.
	 * @param count the number of workers
	 * @param version the version they run, {@code null} for the jar
	 * @throws IOException if a worker cannot be launched
	 */
	synchronized void launchFirst(int count, Snapshot version) throws IOException {
		for (int id = 1; id <= count; id++) {
			Ahead ahead = new Ahead(id, count, version);
			try {
				ahead.process = this.launcher.launch(id, 1, id, count, version, ahead);
			}
			catch (IOException | RuntimeException ex) {
				abandon(Duration.ofSeconds(10));
				throw ex;
			}
			this.waiting.put(id, ahead);
		}
	}

	/**
	 * The number of workers launched ahead that the supervisor has not taken over yet.
	 * @return the count
	 */
	synchronized int waiting() {
		return this.waiting.size();
	}

	@Override
	public WorkerProcess launch(int id, int generation, int logSlot, int count, Snapshot version, Exits exits)
			throws IOException {
		Ahead ahead;
		synchronized (this) {
			ahead = this.waiting.remove(id);
		}
		if (ahead != null) {
			if (generation == 1 && logSlot == id && count == ahead.count && Objects.equals(version, ahead.version)) {
				ahead.handOver(exits);
				return ahead.process;
			}
			// Launched for a worker the supervisor does not want; it drains if it serves already
			ahead.process.terminate();
		}
		return this.launcher.launch(id, generation, logSlot, count, version, exits);
	}

	@Override
	public void route(int workers) throws IOException {
		this.launcher.route(workers);
	}

	@Override
	public void optimize(Snapshot version, int count) {
		this.launcher.optimize(version, count);
	}

	/**
	 * Stop every worker that was not taken over, and wait until each has exited, so that
	 * none still holds the port: each gets {@code SIGTERM}, then {@code SIGKILL} after the
	 * timeout.
	 * @param timeout how long each may take to exit after {@code SIGTERM}
	 */
	void abandon(Duration timeout) {
		List<Ahead> abandoned;
		synchronized (this) {
			abandoned = new ArrayList<>(this.waiting.values());
			this.waiting.clear();
		}
		abandoned.forEach((ahead) -> ahead.process.terminate());
		for (Ahead ahead : abandoned) {
			if (!ahead.awaitExit(timeout)) {
				ahead.process.kill();
				ahead.awaitExit(timeout);
			}
		}
	}

	/**
	 * A worker launched ahead: its exit goes to the supervisor once it takes it over,
	 * even if it came before.
	 */
	private static final class Ahead implements Exits {

		private final int id;

		private final int count;

		private final Snapshot version;

		private final CompletableFuture<Exited> exit = new CompletableFuture<>();

		private WorkerProcess process;

		Ahead(int id, int count, Snapshot version) {
			this.id = id;
			this.count = count;
			this.version = version;
		}

		@Override
		public void exited(long pid, int exitCode) {
			this.exit.complete(new Exited(pid, exitCode));
		}

		void handOver(Exits supervisor) {
			this.exit.thenAccept((exited) -> supervisor.exited(exited.pid(), exited.code()));
		}

		boolean awaitExit(Duration timeout) {
			try {
				this.exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				return true;
			}
			catch (TimeoutException | ExecutionException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		@Override
		public String toString() {
			return "worker " + this.id;
		}

	}

	private record Exited(long pid, int code) {
	}

}
