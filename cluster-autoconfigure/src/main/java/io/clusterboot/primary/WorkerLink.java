package io.clusterboot.primary;

import io.clusterboot.protocol.ControlMessage;

/**
 * The primary's authenticated connection to one worker process.
 */
interface WorkerLink {

	/**
	 * The id the worker announced.
	 * @return the worker id
	 */
	int workerId();

	/**
	 * The process id the worker announced.
	 * @return the pid
	 */
	long pid();

	/**
	 * Queue a message for the worker without blocking.
	 * @param message the message
	 * @return {@code false} if the worker stopped reading and its queue is full, or it
	 * is gone; the message is dropped
	 */
	boolean send(ControlMessage message);

	/**
	 * Close the connection.
	 */
	void close();

}
