package io.clusterboot.worker;

/**
 * The web server's side of a drain.
 */
public interface DrainableServer {

	/**
	 * Stop taking new connections from the cluster's port. Connections already accepted
	 * stay open.
	 */
	void stopAccepting();

	/**
	 * The number of open client connections, idle keep-alive ones included.
	 * @return open connections
	 */
	int openConnections();

}
