package io.clusterboot.primary;

import java.io.IOException;

import io.clusterboot.primary.snapshot.Snapshot;

/**
 * Starts worker processes for the supervisor.
 */
interface WorkerLauncher {

	/**
	 * Launch a worker.
	 * @param id the worker's id
	 * @param generation the process's generation for this id
	 * @param logSlot a number no other living worker holds, for its log file
	 * @param count the number of workers the cluster runs now
	 * @param version the version to run, {@code null} to run the application as the
	 * primary was launched
	 * @param exits told once, on any thread, when the process ends
	 * @return the running process
	 * @throws IOException if the process cannot be started, or its version is not safe
	 * to run
	 */
	WorkerProcess launch(int id, int generation, int logSlot, int count, Snapshot version, Exits exits)
			throws IOException;

	/**
	 * Route new connections to this many workers, where the cluster's socket decides
	 * which worker gets a connection ({@code cluster.listen=sticky}).
	 * @param workers the number of workers, by id from 1, that receive new connections
	 * @throws IOException if a socket for them cannot be bound
	 */
	default void route(int workers) throws IOException {
	}

	/**
	 * Make later workers of a version start faster, in the background, if this launcher
	 * can.
	 * @param version the version the cluster runs
	 * @param count the number of workers the cluster runs
	 */
	default void optimize(Snapshot version, int count) {
	}

	/**
	 * Receives the exits of launched processes.
	 */
	@FunctionalInterface
	interface Exits {

		/**
		 * A worker process ended.
		 * @param pid its process id
		 * @param exitCode its exit code, 128 plus the signal's number if a signal ended it
		 */
		void exited(long pid, int exitCode);

	}

}
