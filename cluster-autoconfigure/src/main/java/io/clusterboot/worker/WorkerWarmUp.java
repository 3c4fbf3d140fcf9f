package io.clusterboot.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
	static final int CLIENTS = 2;

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
		this.requests.ignoreLocalPort(this.port.port());
		try {
			logger.info("Warming up for " + this.duration.toSeconds() + " s before reporting READY: " + this.paths
					+ " on 127.0.0.1:" + this.port.port() + " (cluster.warm-up)");
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
		long deadline = started + this.duration.toNanos();
		AtomicLong sent = new AtomicLong();
		AtomicReference<String> unexpected = new AtomicReference<>();
		AtomicBoolean portGone = new AtomicBoolean();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, (task) -> {
			Thread thread = new Thread(task, "cluster-warm-up");
			thread.setDaemon(true);
			return thread;
		});
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int client = 0; client < CLIENTS; client++) {
				int first = client;
				running.add(clients.submit(() -> send(first, deadline, sent, unexpected, portGone)));
			}
			for (Future<?> client : running) {
				client.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			unexpected.compareAndSet(null, "the warm-up failed: " + ex.getCause());
		}
		finally {
			clients.shutdownNow();
		}
		if (portGone.get()) {
			unexpected.compareAndSet(null, "ended early: the private port no longer answers");
		}
		return new Result(sent.get(), Duration.ofNanos(System.nanoTime() - started), unexpected.get());
	}

	private void send(int first, long deadline, AtomicLong sent, AtomicReference<String> unexpected,
			AtomicBoolean portGone) {
		int failuresInARow = 0;
		for (int next = first; System.nanoTime() < deadline && !portGone.get(); next++) {
			String path = this.paths.get(next % this.paths.size());
			try {
				int status = get(path);
				sent.incrementAndGet();
				failuresInARow = 0;
				if (status < 200 || status >= 300) {
					unexpected.compareAndSet(null, "GET " + path + " answered " + status);
				}
			}
			catch (IOException ex) {
				if (++failuresInARow == FAILURES_IN_A_ROW) {
					portGone.set(true);
				}
			}
		}
	}

	// Keep-alive: the JDK reuses the connection once the body is read and closed
	private int get(String path) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI
			.create("http://127.0.0.1:" + this.port.port() + path)
			.toURL()
			.openConnection();
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

	/**
	 * What a warm-up sent.
	 * @param requests requests answered
	 * @param elapsed how long it took
	 * @param unexpected the first thing that went wrong, or {@code null}
	 */
	record Result(long requests, Duration elapsed, String unexpected) {
	}

}
