package io.clusterboot.worker;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts requests, and once the worker drains, asks every client to close its
 * connection, so that keep-alive clients reconnect to another worker instead of being
 * cut off.
 */
public class RequestTracker implements Filter {

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong completed = new AtomicLong();

	private volatile boolean draining;

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.inFlight.incrementAndGet();
		try {
			if (this.draining && response instanceof HttpServletResponse http) {
				http.setHeader("Connection", "close");
			}
			chain.doFilter(request, response);
		}
		finally {
			this.inFlight.decrementAndGet();
			this.completed.incrementAndGet();
		}
	}

	/**
	 * From now on, every response carries {@code Connection: close}.
	 */
	void startDraining() {
		this.draining = true;
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
