package io.clusterboot.launch;

/**
 * The environment variables through which the primary tells a worker who it is.
 */
public final class WorkerEnvironment {

	/**
	 * The worker's id, 1 to N; its presence makes a JVM a worker.
	 */
	public static final String ID = "CLUSTER_WORKER_ID";

	/**
	 * The number of workers when the worker was launched.
	 */
	public static final String COUNT = "CLUSTER_WORKER_COUNT";

	/**
	 * 1 for the first worker with this id, one more for each replacement.
	 */
	public static final String GENERATION = "CLUSTER_WORKER_GENERATION";

	private WorkerEnvironment() {
	}

}
