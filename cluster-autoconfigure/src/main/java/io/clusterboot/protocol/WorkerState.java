package io.clusterboot.protocol;

/**
 * The life cycle of one worker process, as the primary sees it.
 */
public enum WorkerState {

	/**
	 * Launched, not yet serving.
	 */
	STARTING,

	/**
	 * The web server is listening and the application is ready for traffic.
	 */
	READY,

	/**
	 * No longer accepting; finishing in-flight requests before it exits.
	 */
	DRAINING,

	/**
	 * Exited; waiting for its restart delay before a replacement is launched.
	 */
	RESTARTING

}
