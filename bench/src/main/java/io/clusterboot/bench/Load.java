package io.clusterboot.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * wrk at full load, one process per address; the connections are split between them.
 */
final class Load implements AutoCloseable {

	private final List<Process> processes;

	private final List<Path> outputs;

	private Load(List<Process> processes, List<Path> outputs) {
		this.processes = processes;
		this.outputs = outputs;
		Cleanup.register(this);
	}

	static WrkResult run(Settings settings, List<URI> uris, int seconds) throws IOException {
		try (Load load = start(settings, uris, seconds)) {
			return load.await(seconds + 30);
		}
	}

	/**
	 * Start wrk for at most {@code seconds}; {@link #stop()} ends it earlier.
	 */
	static Load start(Settings settings, List<URI> uris, int seconds) throws IOException {
		List<Process> processes = new ArrayList<>();
		List<Path> outputs = new ArrayList<>();
		int connections = Math.max(1, settings.connections() / uris.size());
		int threads = Math.max(1, Math.min(connections, settings.threads() / uris.size()));
		for (URI uri : uris) {
			Path output = Files.createTempFile(settings.work(), "wrk-", ".txt");
			outputs.add(output);
			processes.add(new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
					"--timeout", "10s", "-s", settings.wrkScript().toString(), uri.toString())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start());
		}
		return new Load(processes, outputs);
	}

	/**
	 * Stop now (SIGINT makes wrk report what it has) and read the results.
	 */
	WrkResult stop() throws IOException {
		for (Process process : this.processes) {
			if (process.isAlive()) {
				Signal.send("INT", process.pid());
			}
		}
		return await(30);
	}

	private WrkResult await(int seconds) throws IOException {
		List<WrkResult> results = new ArrayList<>();
		for (int i = 0; i < this.processes.size(); i++) {
			Process process = this.processes.get(i);
			try {
				if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
			results.add(WrkResult.parse(Files.readString(this.outputs.get(i))));
		}
		return merge(results);
	}

	static WrkResult merge(List<WrkResult> results) {
		if (results.size() == 1) {
			return results.get(0);
		}
		SortedMap<Long, Long> perSecond = new TreeMap<>();
		long requests = 0;
		long duration = 0;
		long socketErrors = 0;
		long non2xx = 0;
		long p99 = 0;
		long max = 0;
		for (WrkResult result : results) {
			requests += result.requests();
			duration = Math.max(duration, result.durationMicros());
			socketErrors += result.socketErrors();
			non2xx += result.non2xx();
			p99 = Math.max(p99, result.p99Micros());
			max = Math.max(max, result.maxMicros());
			result.perEpochSecond().forEach((second, count) -> perSecond.merge(second, count, Long::sum));
		}
		return new WrkResult(requests, duration, socketErrors, non2xx, p99, max, perSecond);
	}

	@Override
	public void close() {
		Cleanup.closed(this);
		this.processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
	}

}
