package io.clusterboot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One configuration under test: the processes this benchmark started to serve a port,
 * ended by PID when it closes.
 */
final class Target implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private static final ObjectMapper json = new ObjectMapper();

	private final String name;

	private final List<URI> loadUris;

	private final List<Process> processes = new ArrayList<>();

	/** Handles, not bare pids: a handle kills only the process it was taken of, never a reused pid. */
	private final Set<ProcessHandle> seen = new LinkedHashSet<>();

	private final Process cluster;

	private final int clusterPort;

	private long startToReadyMillis;

	private double startCpuSeconds;

	private Target(String name, List<URI> loadUris, Process cluster, int clusterPort) {
		this.name = name;
		this.loadUris = loadUris;
		this.cluster = cluster;
		this.clusterPort = clusterPort;
		Cleanup.register(this);
	}

	/**
	 * One plain JVM of the application.
	 */
	static Target single(Settings settings, String name, int port, List<String> options) throws IOException {
		Target target = new Target(name, List.of(settings.uri(port)), null, 0);
		long started = System.nanoTime();
		target.startPlainJvm(settings, name, port, options);
		target.awaitServing(port, started);
		return target;
	}

	/**
	 * The application in cluster mode.
	 */
	static Target cluster(Settings settings, String name, int port, Settings.Variant variant) throws IOException {
		List<String> clusterArguments = new ArrayList<>(variant.arguments());
		clusterArguments.add(0, "--cluster.instances=" + settings.workers());
		clusterArguments.add(1, "--cluster.snapshots.directory=" + settings.snapshots(variant));
		long started = System.nanoTime();
		Process primary = settings.startJvm(name, port, settings.jar(variant), variant.options(), clusterArguments);
		Target target = new Target(name, List.of(settings.uri(port)), primary, port);
		target.processes.add(primary);
		target.awaitClusterReady(started);
		return target;
	}

	/**
	 * This starter's supervisor in a small JVM of its own, launching the workers a
	 * cluster of the default variant launches: see {@link LeanPrimary}.
	 * @param libraries the unpacked application's libraries, for its class path
	 */
	static Target leanPrimary(Settings settings, String name, int port, List<Path> libraries) throws IOException {
		long started = System.nanoTime();
		Process primary = settings.startLeanPrimary(name, port, libraries);
		Target target = new Target(name, List.of(settings.uri(port)), primary, port);
		target.processes.add(primary);
		target.awaitClusterReady(started);
		return target;
	}

	/**
	 * nginx round-robin over plain JVMs: what a Java team runs today for N processes.
	 */
	static Target nginx(Settings settings, String name, int port) throws IOException {
		Target target = new Target(name, List.of(settings.uri(port)), null, 0);
		long started = System.nanoTime();
		List<Integer> upstreams = new ArrayList<>();
		for (int i = 1; i <= settings.workers(); i++) {
			upstreams.add(port + i);
			target.startPlainJvm(settings, name + "-" + i, port + i, List.of());
		}
		target.processes.add(Nginx.start(settings, port, upstreams));
		for (int upstream : upstreams) {
			target.awaitServing(upstream, started);
		}
		target.awaitServing(port, started);
		return target;
	}

	/**
	 * Plain JVMs, each loaded by its own client: what N processes can do on this machine.
	 */
	static Target independent(Settings settings, String name, int port) throws IOException {
		List<URI> uris = new ArrayList<>();
		for (int i = 0; i < settings.workers(); i++) {
			uris.add(settings.uri(port + i));
		}
		Target target = new Target(name, uris, null, 0);
		long started = System.nanoTime();
		for (int i = 0; i < settings.workers(); i++) {
			target.startPlainJvm(settings, name + "-" + i, port + i, List.of());
		}
		for (int i = 0; i < settings.workers(); i++) {
			target.awaitServing(port + i, started);
		}
		return target;
	}

	/**
	 * The application as one plain JVM, not a cluster.
	 */
	private void startPlainJvm(Settings settings, String name, int port, List<String> options) throws IOException {
		this.processes.add(settings.startJvm(name, port, options, List.of("--cluster.instances=1")));
	}

	String name() {
		return this.name;
	}

	/**
	 * The port a cluster serves.
	 * @return the port, 0 for a configuration that is no cluster
	 */
	int clusterPort() {
		return this.clusterPort;
	}

	List<URI> loadUris() {
		return this.loadUris;
	}

	long startToReadyMillis() {
		return this.startToReadyMillis;
	}

	/**
	 * CPU time of every process of this configuration until it served.
	 * @return seconds
	 */
	double startCpuSeconds() {
		return this.startCpuSeconds;
	}

	Process primary() {
		return this.cluster;
	}

	/**
	 * Every process of this target now: the ones started here and their descendants.
	 */
	List<Long> pids() {
		List<Long> pids = new ArrayList<>();
		for (Process process : this.processes) {
			if (process.isAlive()) {
				pids.add(process.pid());
			}
			process.descendants().forEach((child) -> {
				this.seen.add(child);
				pids.add(child.pid());
			});
		}
		return pids;
	}

	/**
	 * The cluster's status, or {@code null} if it does not answer.
	 */
	JsonNode clusterStatus() {
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.clusterPort + "/actuator/cluster"))
						.timeout(Duration.ofSeconds(2))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static boolean allReady(JsonNode status) {
		if (status == null || status.path("workers").size() != status.path("desired").asInt(-1)) {
			return false;
		}
		for (JsonNode worker : status.path("workers")) {
			if (!"READY".equals(worker.path("state").asString()) || worker.path("pid").isNull()) {
				return false;
			}
		}
		return true;
	}

	private void awaitClusterReady(long startedNanos) throws IOException {
		await(() -> allReady(clusterStatus()), startedNanos);
	}

	private void awaitServing(int port, long startedNanos) throws IOException {
		URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/health");
		await(() -> {
			try {
				return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}, startedNanos);
	}

	private void await(BooleanSupplier ready, long startedNanos) throws IOException {
		long deadline = startedNanos + TimeUnit.SECONDS.toNanos(180);
		while (!ready.getAsBoolean()) {
			for (Process process : this.processes) {
				if (!process.isAlive()) {
					throw new IOException(this.name + ": pid " + process.pid() + " exited with "
							+ process.exitValue() + " before it was ready");
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IOException(this.name + " not ready within 180 s");
			}
			Sleep.millis(50);
		}
		this.startToReadyMillis = Math.max(this.startToReadyMillis,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
		this.startCpuSeconds = ProcFs.cpuSecondsWithWaitedChildren(pids());
	}

	/**
	 * Stop with SIGTERM, as an operator would, then kill what is left, by PID.
	 */
	@Override
	public void close() {
		Cleanup.closed(this);
		pids();
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
		// Workers outlive a primary only if it was killed; they are ours to end
		this.seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

}
