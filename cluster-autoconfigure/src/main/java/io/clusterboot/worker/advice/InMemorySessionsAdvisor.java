package io.clusterboot.worker.advice;

import java.util.concurrent.atomic.AtomicBoolean;

import io.clusterboot.protocol.Advice;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Finds, the first time it happens, that the servlet container creates an HTTP session
 * in a worker's memory: the next request of that client may reach another worker, which
 * does not know the session.
 */
public class InMemorySessionsAdvisor implements HttpSessionListener {

	private final AdviceReport report;

	private final AtomicBoolean found = new AtomicBoolean();

	/**
	 * Create an advisor.
	 * @param report where the finding goes
	 */
	public InMemorySessionsAdvisor(AdviceReport report) {
		this.report = report;
	}

	@Override
	public void sessionCreated(HttpSessionEvent event) {
		if (this.found.compareAndSet(false, true)) {
			this.report.foundAtRunTime(new Advice(AdviceCode.IN_MEMORY_SESSIONS.code(),
					"HTTP sessions of the servlet container",
					"A session lives in the memory of the worker that created it: a client whose next request "
							+ "reaches another worker has no session there (logged out, empty cart).",
					"Store sessions in a shared store with Spring Session (JDBC or Redis), or make the "
							+ "application stateless."));
		}
	}

}
