package io.clusterboot.worker;

/**
 * A worker's open WebSocket sessions, which never end on their own: a draining worker
 * closes them, so that their clients reconnect to another worker.
 */
public interface WebSocketSessions {

	/**
	 * The number of open sessions.
	 * @return open sessions
	 */
	int count();

	/**
	 * Close every open session with close code 1001 (Going Away), each after the message
	 * it is sending, if any.
	 * @return the number of sessions closed
	 */
	int closeGoingAway();

}
