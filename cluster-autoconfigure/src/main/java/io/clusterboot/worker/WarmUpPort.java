package io.clusterboot.worker;

/**
 * The private port on which a worker sends itself its warm-up requests.
 */
public interface WarmUpPort extends AutoCloseable {

	/**
	 * The port, on the loopback address, once the web server started.
	 * @return the port, or a negative number if it is not bound
	 */
	int port();

	/**
	 * Stop serving on the port, for good.
	 */
	@Override
	void close();

}
