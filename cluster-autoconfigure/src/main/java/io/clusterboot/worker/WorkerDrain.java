package io.clusterboot.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;

import org.springframework.context.SmartLifecycle;

/**
 * Drains a stopping worker before Spring's own shutdown runs, however the stop began: a
 * SIGTERM from an operator, or from the primary for a stop, reload, recycle or scale
 * down.
 * <ol>
 * <li>Stop accepting from the shared port; queued connections go to other workers. Tell
 * the primary, which starts a replacement if it did not ask for this stop.</li>
 * <li>Answer every further request with {@code Connection: close}, so keep-alive
 * clients reconnect elsewhere, and close WebSocket sessions with 1001 (Going Away), so
 * their clients reconnect elsewhere too.</li>
 * <li>Wait for in-flight requests, and for open connections up to a short grace window,
 * within {@code cluster.drain-timeout}.</li>
 * </ol>
 * Spring's graceful shutdown then finds nothing left to wait for, and the worker exits
 * 0.
 */
public class WorkerDrain implements SmartLifecycle {

	/**
	 * How long idle keep-alive connections may stay open once the worker drains: active
	 * clients send their next request, and are told to close, well within it.
	 */
	static final Duration IDLE_CONNECTION_GRACE = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(WorkerDrain.class);

	private static final long POLL_MILLIS = 20;

	private final DrainableServer server;

	private final RequestTracker requests;

	private final Duration drainTimeout;

	private final Runnable announce;

	private final WebSocketSessions webSockets;

	private volatile boolean running;

	/**
	 * Create the drain.
	 * @param server the web server
	 * @param requests the request counts
	 * @param drainTimeout how long in-flight requests may take
	 * @param announce tells the primary that this worker drains
	 * @param webSockets the open WebSocket sessions, {@code null} without WebSocket support
	 */
	public WorkerDrain(DrainableServer server, RequestTracker requests, Duration drainTimeout, Runnable announce,
			WebSocketSessions webSockets) {
		this.server = server;
		this.requests = requests;
		this.drainTimeout = drainTimeout;
		this.announce = announce;
		this.webSockets = webSockets;
	}

	@Override
	public void start() {
		// A drained worker exits 0, so the primary can tell a drain from a crash
		Signal.handle(new Signal("TERM"), (signal) -> new Thread(() -> System.exit(0), "cluster-drain").start());
		this.running = true;
	}

	@Override
	public void stop() {
		long started = System.nanoTime();
		logger.info("Draining: " + this.requests.inFlight() + " requests in flight, "
				+ this.server.openConnections() + " connections open"
				+ ((this.webSockets != null) ? ", " + this.webSockets.count() + " WebSocket sessions" : ""));
		this.server.stopAccepting();
		this.announce.run();
		this.server.closeConnectionsAfterNextResponse();
		if (this.webSockets != null) {
			int closed = this.webSockets.closeGoingAway();
			if (closed > 0) {
				logger.info("Closed " + closed + " WebSocket sessions with 1001 (Going Away); their clients "
						+ "reconnect to other workers");
			}
		}
		Duration grace = (IDLE_CONNECTION_GRACE.compareTo(this.drainTimeout) < 0) ? IDLE_CONNECTION_GRACE
				: this.drainTimeout;
		boolean drained = waitUntil(() -> this.requests.inFlight() == 0 && this.server.openConnections() == 0,
				grace);
		if (!drained) {
			drained = waitUntil(() -> this.requests.inFlight() == 0,
					this.drainTimeout.minus(Duration.ofNanos(System.nanoTime() - started)));
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		if (drained) {
			logger.info("Drained in " + took.toMillis() + " ms; closing " + this.server.openConnections()
					+ " idle connections");
		}
		else {
			logger.warn("Drain timed out after " + took.toMillis() + " ms with " + this.requests.inFlight()
					+ " requests in flight (cluster.drain-timeout)");
		}
		this.running = false;
	}

	private static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown, which has a lower phase
		return Integer.MAX_VALUE;
	}

}
