package io.clusterboot.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Warms a booting worker up before it reports READY: for {@code cluster.warm-up.duration}
 * it sends itself the requests of {@code cluster.warm-up.requests} on a private port, so
 * that the JIT has compiled its request path when it takes over from the worker it
 * replaces, which serves meanwhile. It runs once the application has started, its web
 * server serving, and before Spring Boot publishes that it accepts traffic, which is what
 * a worker reports as READY.
 */
public class WorkerWarmUp implements ApplicationListener<ApplicationStartedEvent> {

	private static final Log logger = LogFactory.getLog(WorkerWarmUp.class);

	/**
	 * Connections that send the requests at once: two keep a worker with one processor
	 * busy while each waits for its answer.
	 */
	private static final int CLIENTS = 2;

	/**
	 * Failures in a row, of a connection, after which the warm-up ends: the port is gone,
	 * as when the worker is stopped while it warms up.
	 */
	private static final int FAILURES_IN_A_ROW = 10;

	private static final int TIMEOUT_MILLIS = 10_000;

	private final List<String> paths;

	private final Duration duration;

	private final WarmUpPort port;

	private final RequestTracker requests;

	private final AtomicBoolean started = new AtomicBoolean();

	/**
	 * Create a warm-up.
	 * @param paths the paths to request, in turn
	 * @param duration how long to send them
	 * @param port the private port
	 * @param requests the worker's request counts, which leave the warm-up out
	 */
	public WorkerWarmUp(List<String> paths, Duration duration, WarmUpPort port, RequestTracker requests) {
		this.paths = List.copyOf(paths);
		this.duration = duration;
		this.port = port;
		this.requests = requests;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		// Once: a child context's started event reaches this listener too
		if (!this.started.compareAndSet(false, true)) {
			return;
		}
		int port = this.port.port();
		this.requests.ignoreLocalPort(port);
		try {
			logger.info("Warming up for " + this.duration.toSeconds() + " s before reporting READY: " + this.paths
					+ " on 127.0.0.1:" + port + " (cluster.warm-up)");
			Result result = warmUp();
			String summary = "Warmed up with " + result.requests() + " requests in "
					+ result.elapsed().toMillis() / 1000.0 + " s";
			if (result.unexpected() != null) {
				logger.warn(summary + "; " + result.unexpected() + " (cluster.warm-up.requests)");
			}
			else {
				logger.info(summary);
			}
		}
		finally {
			this.port.close();
		}
	}

	/**
	 * Send the requests until the duration is over, or the port is gone.
	 * @return what was sent, and the first answer that was not a success
	 */
	Result warmUp() {
		long started = System.nanoTime();
		Run run = new Run("http://127.0.0.1:" + this.port.port(), started + this.duration.toNanos());
		Thread[] clients = new Thread[CLIENTS];
		for (int client = 0; client < CLIENTS; client++) {
			int first = client;
			clients[client] = new Thread(() -> run.send(first), "cluster-warm-up");
			clients[client].setDaemon(true);
			clients[client].start();
		}
		try {
			for (Thread client : clients) {
				client.join();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (run.portGone) {
			run.unexpected.compareAndSet(null, "ended early: the private port no longer answers");
		}
		return new Result(run.sent.get(), Duration.ofNanos(System.nanoTime() - started), run.unexpected.get());
	}

	/**
	 * One warm-up: what its clients share.
	 */
	private final class Run {

		private final String base;

		private final long deadline;

		private final AtomicLong sent = new AtomicLong();

		private final AtomicReference<String> unexpected = new AtomicReference<>();

		private volatile boolean portGone;

		Run(String base, long deadline) {
			this.base = base;
			this.deadline = deadline;
		}

		// One client: the paths in turn, from the given one
		void send(int first) {
			int failuresInARow = 0;
			for (int next = first; System.nanoTime() < this.deadline && !this.portGone; next++) {
				String path = WorkerWarmUp.this.paths.get(next % WorkerWarmUp.this.paths.size());
				try {
					int status = get(this.base + path);
					this.sent.incrementAndGet();
					failuresInARow = 0;
					if (status < 200 || status >= 300) {
						this.unexpected.compareAndSet(null, "GET " + path + " answered " + status);
					}
				}
				catch (IOException ex) {
					if (++failuresInARow == FAILURES_IN_A_ROW) {
						this.portGone = true;
					}
				}
				catch (RuntimeException ex) {
					// Such as a path that is no URI: every later try would fail the same way
					this.unexpected.compareAndSet(null, "GET " + path + " failed: " + ex);
					return;
				}
			}
		}

		// Keep-alive: the JDK reuses the connection once the body is read and closed
		private int get(String url) throws IOException {
			HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
			connection.setConnectTimeout(TIMEOUT_MILLIS);
			connection.setReadTimeout(TIMEOUT_MILLIS);
			int status = connection.getResponseCode();
			InputStream body = (status < 400) ? connection.getInputStream() : connection.getErrorStream();
			if (body != null) {
				try (body) {
					body.transferTo(OutputStream.nullOutputStream());
				}
			}
			return status;
		}

	}

	/**
	 * What a warm-up sent.
	 * @param requests requests answered
	 * @param elapsed how long it took
	 * @param unexpected the first thing that went wrong, or {@code null}
	 */
	record Result(long requests, Duration elapsed, String unexpected) {
	}

}
