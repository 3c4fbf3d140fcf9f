package io.clusterboot.worker.advice;

import java.util.concurrent.atomic.AtomicBoolean;

import io.clusterboot.protocol.Advice;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Finds, the first time it happens, that the servlet container creates an HTTP session
 * in a worker's memory: the next request of that client may reach another worker, which
 * does not know the session. With {@code cluster.listen=sticky} it does not, but the
 * session still ends with its worker.
 */
public class InMemorySessionsAdvisor implements HttpSessionListener {

	private final AdviceReport report;

	private final Advice advice;

	private final AtomicBoolean found = new AtomicBoolean();

	/**
	 * Create an advisor.
	 * @param report where the finding goes
	 * @param sticky whether the cluster routes each client address to one worker
	 */
	public InMemorySessionsAdvisor(AdviceReport report, boolean sticky) {
		this.report = report;
		this.advice = sticky ? stickyAdvice() : advice();
	}

	@Override
	public void sessionCreated(HttpSessionEvent event) {
		if (this.found.compareAndSet(false, true)) {
			this.report.foundAtRunTime(this.advice);
		}
	}

	private static Advice advice() {
		return new Advice(AdviceCode.IN_MEMORY_SESSIONS.code(), "HTTP sessions of the servlet container",
				"A session lives in the memory of the worker that created it: a client whose next request "
						+ "reaches another worker has no session there (logged out, empty cart).",
				"Store sessions in a shared store with Spring Session (JDBC or Redis), or set "
						+ "cluster.listen=sticky to keep each client address on one worker.");
	}

	private static Advice stickyAdvice() {
		return new Advice(AdviceCode.IN_MEMORY_SESSIONS.code(), "HTTP sessions of the servlet container",
				"cluster.listen=sticky keeps each client address on one worker, so a session holds while "
						+ "that worker runs, but it is lost when the worker restarts or is reloaded, or when "
						+ "scaling moves the client.",
				"Store sessions in a shared store with Spring Session (JDBC or Redis) to keep them across "
						+ "reloads.");
	}

}
