package io.clusterboot.worker;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Counts requests: those in flight, which a drain waits for, and those completed.
 */
public class RequestTracker implements Filter {

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong completed = new AtomicLong();

	private volatile int ignoredLocalPort = -1;

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		int ignored = this.ignoredLocalPort;
		// Only while a port is ignored: the local port is not asked for on every request
		if (ignored > 0 && request.getLocalPort() == ignored) {
			chain.doFilter(request, response);
			return;
		}
		this.inFlight.incrementAndGet();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.inFlight.decrementAndGet();
			this.completed.incrementAndGet();
		}
	}

	/**
	 * Leave out requests that a worker sends itself, on a port of its own: they are not
	 * served to clients, so neither {@code cluster.max-requests} nor a drain counts them.
	 * @param port the local port of those requests
	 */
	public void ignoreLocalPort(int port) {
		this.ignoredLocalPort = port;
	}

	/**
	 * Requests being served now.
	 * @return requests in flight
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * Requests served since this worker started.
	 * @return completed requests
	 */
	public long completed() {
		return this.completed.get();
	}

}
