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
	 * From now on, close every connection after its next response. The server says so
	 * in that response ({@code Connection: close}) and still delimits its body, by length
	 * or chunks: a body delimited by the close alone cannot be told apart from a
	 * truncated one, and clients such as wrk count it as an error.
	 */
	void closeConnectionsAfterNextResponse();

	/**
	 * The number of open client connections, idle keep-alive ones included.
	 * @return open connections
	 */
	int openConnections();

}
