package io.clusterboot.primary;

import java.io.IOException;

/**
 * Starts worker processes for the supervisor.
 */
interface WorkerLauncher {

	/**
	 * Launch a worker.
	 * @param id the worker's id
	 * @param generation the process's generation for this id
	 * @param count the number of workers the cluster runs now
	 * @param exits told once, on any thread, when the process ends
	 * @return the running process
	 * @throws IOException if the process cannot be started
	 */
	WorkerProcess launch(int id, int generation, int count, Exits exits) throws IOException;

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
