package io.clusterboot.primary;

import java.time.Duration;

/**
 * A launched worker process, as the supervisor controls it.
 */
interface WorkerProcess {

	/**
	 * The process id.
	 * @return the pid
	 */
	long pid();

	/**
	 * Ask the worker to drain and exit (SIGTERM).
	 */
	void terminate();

	/**
	 * Have the JVM print its threads to its log (SIGQUIT).
	 */
	void dumpThreads();

	/**
	 * Kill the process at once (SIGKILL).
	 */
	void kill();

	/**
	 * The CPU time the process used so far, which shows that a worker that has not
	 * connected yet is still booting.
	 * @return the CPU time, zero where that cannot be told
	 */
	Duration cpuTime();

	/**
	 * Lower the process's scheduling priority.
	 * @param niceness the nice value, 1 to 19
	 */
	void lowerPriority(int niceness);

	/**
	 * The CPU the process is pinned to ({@code cluster.cpu-affinity}).
	 * @return the CPU's number, or {@code null} when it runs on any
	 */
	default Integer pinnedCpu() {
		return null;
	}

	/**
	 * The process's resident memory.
	 * @return resident bytes, 0 where that cannot be told
	 */
	long residentBytes();

}
