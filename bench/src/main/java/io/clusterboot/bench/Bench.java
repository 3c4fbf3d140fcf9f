package io.clusterboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/**
 * The benchmark: what cluster mode costs and buys against one JVM, nginx in front of N
 * JVMs, and N independent JVMs, all in one run on this machine. {@code bench/run.sh}
 * installs what it needs and starts this.
 */
public final class Bench {

	static final String SINGLE = "single JVM";

	static final String CLUSTER = "cluster";

	// The JIT needs 20 to 40 s of load to settle here
	private static final Duration STOMP_WARM_UP = Duration.ofSeconds(30);

	private static final Duration STOMP_MEASURED = Duration.ofSeconds(30);

	private final Settings settings;

	private final Results results = new Results();

	private int nextPort;

	private int builds;

	private Bench(Settings settings) {
		this.settings = settings;
		this.nextPort = settings.port();
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromEnvironment(System.getenv());
		Path output = Path.of(System.getenv().getOrDefault("OUT", "results/latest.md"));
		Bench bench = new Bench(settings);
		String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
		String started = Instant.now().toString();
		bench.run();
		String header = """
				# Cluster benchmark

				%s to %s on %d CPUs; load average before: %s, after: %s.
				%s, %d workers; wrk %d connections, %d threads on `%s`; windows of %d s (at most %d).
				""".formatted(started, Instant.now(), Runtime.getRuntime().availableProcessors(), loadBefore,
				Files.readString(Path.of("/proc/loadavg")).trim(), javaVersion(settings), settings.workers(),
				settings.connections(), settings.threads(), settings.path(), settings.windowSeconds(),
				settings.maxWindows());
		String report = Report.render(bench.results, header, SINGLE, CLUSTER);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report);
		System.out.println(report);
	}

	private void run() throws IOException {
		List<Settings.Variant> variants = new ArrayList<>(this.settings.variants());
		if (variants.isEmpty()) {
			variants.add(Settings.Variant.DEFAULT);
		}
		for (Settings.Variant variant : variants) {
			if (variant.jar() != null) {
				// A private copy, as of the application's jar
				Files.copy(variant.jar(), this.settings.jar(variant), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		if (this.settings.runs("start")) {
			measureStarts(variants);
		}
		if (this.settings.runs("single")) {
			try (Target single = Target.single(this.settings, "steady-single", port(1), List.of())) {
				measureSteady(single, SINGLE, "java -jar app.jar --cluster.instances=1");
			}
		}
		if (this.settings.runs("nginx")) {
			try (Target nginx = Target.nginx(this.settings, "steady-nginx", port(this.settings.workers() + 1))) {
				measureSteady(nginx, "nginx + " + this.settings.workers() + " JVMs",
						"nginx round-robin (keep-alive) over " + this.settings.workers() + " × java -jar app.jar");
			}
		}
		if (this.settings.runs("independent")) {
			try (Target independent = Target.independent(this.settings, "steady-independent",
					port(this.settings.workers()))) {
				measureSteady(independent, this.settings.workers() + " independent JVMs",
						this.settings.workers() + " × java -jar app.jar, each loaded by its own wrk");
			}
		}
		if (this.settings.runs("stomp")) {
			try (Target cluster = Target.cluster(this.settings, "stomp", port(1), Settings.Variant.DEFAULT)) {
				this.results.stomp = StompLatency.measure(cluster.clusterPort(), this.settings.messagesPerSecond(),
						STOMP_WARM_UP, STOMP_MEASURED);
			}
		}
		for (Settings.Variant variant : variants) {
			if (!this.settings.runs("steady") && !this.settings.runs("reload") && !this.settings.runs("deploy")) {
				break;
			}
			// Archives are built by the first start of each variant; measure later ones
			prepare(variant, port(1));
			try (Target cluster = Target.cluster(this.settings, "steady-" + variant.name(), port(1),
					variant)) {
				Results.SteadyRun steady = measureSteady(cluster, variant.name(),
						String.join(" ", commandLine(variant)));
				double rate = steady.steady().requestsPerSecond();
				if (this.settings.runs("reload")) {
					for (int i = 0; i < this.settings.reloads(); i++) {
						this.results.reloads.add(reload(cluster, variant.name(), rate, null));
					}
				}
				if (this.settings.runs("deploy")) {
					for (int i = 0; i < this.settings.reloads(); i++) {
						this.results.reloads.add(reload(cluster, variant.name(), rate, this.settings.jar(variant)));
					}
				}
			}
		}
		if (this.settings.runs("lean-primary")) {
			measureLeanPrimary();
		}
	}

	/**
	 * The supervisor in a small JVM of its own against the cluster's primary, for the
	 * primary's memory: run with {@code SECTIONS="steady lean-primary" VARIANTS="cluster="}
	 * to have both in one report.
	 */
	private void measureLeanPrimary() throws IOException {
		prepare(Settings.Variant.DEFAULT, port(1));
		try (Target lean = Target.leanPrimary(this.settings, "steady-lean-primary", port(1), unpackedLibraries())) {
			measureSteady(lean, "lean primary", "bench's LeanPrimary: java " + String.join(" ", Settings.LEAN_PRIMARY_OPTIONS)
					+ " -cp <the version's lib/> with MALLOC_ARENA_MAX=2, " + this.settings.workers()
					+ " workers as the cluster's");
		}
	}

	/**
	 * The libraries of the newest version unpacked in the snapshots of the application's jar.
	 */
	private List<Path> unpackedLibraries() throws IOException {
		Path newest = null;
		try (Stream<Path> versions = Files.list(this.settings.snapshots())) {
			for (Path lib : versions.map((version) -> version.resolve("lib")).filter(Files::isDirectory).toList()) {
				if (newest == null
						|| Files.getLastModifiedTime(lib).compareTo(Files.getLastModifiedTime(newest)) > 0) {
					newest = lib;
				}
			}
		}
		if (newest == null) {
			throw new IOException("No unpacked version in " + this.settings.snapshots());
		}
		try (Stream<Path> jars = Files.list(newest)) {
			return jars.filter((jar) -> jar.toString().endsWith(".jar")).sorted().toList();
		}
	}

	private List<String> commandLine(Settings.Variant variant) {
		List<String> words = new ArrayList<>(List.of("java"));
		words.addAll(variant.options());
		words.addAll(List.of("-jar", (variant.jar() != null) ? variant.jar().getFileName().toString() : "app.jar",
				"--cluster.instances=" + this.settings.workers()));
		words.addAll(variant.arguments());
		return words;
	}

	private int port(int count) {
		int port = this.nextPort;
		this.nextPort += count;
		return port;
	}

	private void measureStarts(List<Settings.Variant> variants) throws IOException {
		deleteSnapshots();
		try (Target first = Target.cluster(this.settings, "start-first", port(1), Settings.Variant.DEFAULT)) {
			this.results.start(CLUSTER + ", first start (unpacks, no archive yet)", first.startToReadyMillis(),
				first.startCpuSeconds());
			awaitArchive(first);
		}
		// Each configuration starts on a port of its own, every time: a user's service starts
		// with the same command line each time, which is what a second start can plan on
		int singlePort = port(1);
		Map<String, Integer> ports = new HashMap<>();
		// Every variant's options get an archive of their own before they are measured
		for (Settings.Variant variant : variants) {
			ports.put(variant.name(), port(1));
			prepare(variant, ports.get(variant.name()));
		}
		for (int round = 0; round < this.settings.starts(); round++) {
			List<Runnable> order = new ArrayList<>();
			order.add(() -> startOnce(SINGLE, () -> Target.single(this.settings, "start-single", singlePort, List.of())));
			for (Settings.Variant variant : variants) {
				order.add(() -> startOnce(variant.name(), () -> Target.cluster(this.settings,
						"start-" + variant.name(), ports.get(variant.name()), variant)));
			}
			if (round % 2 == 1) {
				Collections.reverse(order);
			}
			order.forEach(Runnable::run);
		}
	}

	private void startOnce(String name, TargetFactory factory) {
		try (Target target = factory.start()) {
			this.results.start(name, target.startToReadyMillis(), target.startCpuSeconds());
			log(name + ": ready in " + target.startToReadyMillis() + " ms, " + target.startCpuSeconds() + " CPU-s");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Start a variant once so that its class-data archive exists before it is measured.
	 */
	private void prepare(Settings.Variant variant, int port) throws IOException {
		try (Target target = Target.cluster(this.settings, "prepare-" + variant.name(), port, variant)) {
			awaitArchive(target);
		}
	}

	/**
	 * Wait while the primary trains a class-data archive: it starts the training run
	 * once every worker is ready, unless the version has an archive for these options or
	 * class-data sharing is off.
	 */
	private void awaitArchive(Target cluster) {
		long quietSince = System.nanoTime();
		long deadline = quietSince + TimeUnit.SECONDS.toNanos(240);
		while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5) && System.nanoTime() < deadline) {
			boolean training = cluster.primary()
				.descendants()
				.anyMatch((process) -> process.info().arguments().stream().flatMap(Arrays::stream)
					.anyMatch((argument) -> argument.startsWith("-XX:ArchiveClassesAtExit")
							|| argument.startsWith("-XX:AOTCacheOutput")));
			if (training) {
				quietSince = System.nanoTime();
			}
			Sleep.millis(250);
		}
	}

	private Results.SteadyRun measureSteady(Target target, String name, String description) throws IOException {
		List<Double> windows = new ArrayList<>();
		List<Double> cpuPer1000 = new ArrayList<>();
		SortedMap<Long, Long> perEpochSecond = new TreeMap<>();
		long errors = 0;
		Throughput.Steady steady;
		do {
			double cpuBefore = ProcFs.cpuSeconds(target.pids());
			WrkResult window = Load.run(this.settings, target.loadUris(), this.settings.windowSeconds());
			double cpu = ProcFs.cpuSeconds(target.pids()) - cpuBefore;
			windows.add(window.requestsPerSecond());
			cpuPer1000.add((window.requests() > 0) ? cpu * 1000 / window.requests() : Double.NaN);
			errors += window.errors();
			window.perEpochSecond().forEach((second, count) -> perEpochSecond.merge(second, count, Long::sum));
			steady = Throughput.steady(windows);
			log(name + ": window " + windows.size() + " " + Math.round(window.requestsPerSecond()) + " req/s");
		}
		while (!steady.settled() && windows.size() < this.settings.maxWindows());
		long[] perSecond = series(perEpochSecond, perEpochSecond.firstKey() + 1);
		int warmUp = Throughput.secondsToReach(perSecond, 0, Throughput.WARM * steady.requestsPerSecond());
		List<Results.ProcessMemory> memory = memory(target);
		Results.SteadyRun run = new Results.SteadyRun(name, description, steady, windows, warmUp,
				Throughput.median(cpuPer1000.subList(Math.max(0, cpuPer1000.size() - Throughput.SETTLED_WINDOWS),
						cpuPer1000.size())),
				errors, memory);
		this.results.steady.add(run);
		return run;
	}

	private List<Results.ProcessMemory> memory(Target target) {
		List<Results.ProcessMemory> memory = new ArrayList<>();
		long primary = (target.primary() != null) ? target.primary().pid() : -1;
		for (long pid : target.pids()) {
			String role = (pid == primary) ? "primary" : (primary > 0) ? "worker" : roleOf(pid);
			memory.add(new Results.ProcessMemory(role, pid, ProcFs.memory(pid)));
		}
		return memory;
	}

	private static String roleOf(long pid) {
		return ProcessHandle.of(pid)
			.flatMap((handle) -> handle.info().command())
			.map((command) -> command.endsWith("nginx") ? "nginx" : "jvm")
			.orElse("?");
	}

	/**
	 * A rolling reload under full load, of the same jar or, as a deploy does, of a new
	 * build written over it right before the signal.
	 * @param newBuildOf the jar to write a new build over, or {@code null} to reload the
	 * same jar
	 */
	private Results.ReloadRun reload(Target cluster, String name, double steady, Path newBuildOf) throws IOException {
		// A previous deploy's version trains its archive once it serves; reloads start apart
		awaitArchive(cluster);
		JsonNode before = cluster.clusterStatus();
		Map<Integer, Integer> generations = new HashMap<>();
		before.path("workers").forEach((worker) -> generations.put(worker.path("id").asInt(), worker.path("generation").asInt()));
		int leadIn = 10;
		int tail = 40;
		try (Load load = Load.start(this.settings, cluster.loadUris(), leadIn + 180 + tail)) {
			Sleep.millis(TimeUnit.SECONDS.toMillis(leadIn));
			if (newBuildOf != null) {
				NewBuild.writeOver(newBuildOf, "cluster-bench build " + (++this.builds));
			}
			long signalled = System.currentTimeMillis();
			Signal.send("HUP", cluster.primary().pid());
			String state = "timeout";
			double prepared = -1;
			long deadline = signalled + TimeUnit.SECONDS.toMillis(180);
			while (System.currentTimeMillis() < deadline) {
				JsonNode status = cluster.clusterStatus();
				String reload = (status != null) ? status.path("reload").path("state").asString("") : "";
				if (status != null && "aborted".equals(reload)
						&& Instant.parse(status.path("reload").path("startedAt").asString()).toEpochMilli() >= signalled - 1000) {
					state = "aborted";
					break;
				}
				if (Target.allReady(status) && renewed(status, generations)) {
					state = "finished";
					prepared = secondsSince(signalled, status.path("reload").path("startedAt"));
					break;
				}
				Sleep.millis(250);
			}
			long ended = System.currentTimeMillis();
			// Long enough for back to 90%, and for the minute whose shortfall is counted
			long shortfallEnd = signalled + TimeUnit.SECONDS.toMillis(Throughput.SHORTFALL_SECONDS + 2);
			Sleep.millis(Math.max(TimeUnit.SECONDS.toMillis(tail), shortfallEnd - ended));
			WrkResult result = load.stop();
			long first = result.perEpochSecond().firstKey() + 1;
			long[] perSecond = series(result.perEpochSecond(), first);
			int signalIndex = (int) (signalled / 1000 - first);
			int endIndex = (int) (ended / 1000 - first);
			int back = Throughput.secondsToReach(perSecond, endIndex, Throughput.WARM * steady);
			Results.ReloadRun run = new Results.ReloadRun(name, newBuildOf != null, state, (ended - signalled) / 1000.0,
					prepared, result.errors(), steady, Throughput.lowest(perSecond, signalIndex, endIndex + 1),
					(back < 0) ? -1 : back + endIndex - signalIndex,
					Throughput.shortfallSeconds(perSecond, signalIndex, Throughput.SHORTFALL_SECONDS, steady),
					result.p99Micros() / 1000.0,
					result.maxMicros() / 1000.0);
			log(name + ": reload " + run);
			return run;
		}
	}

	private static double secondsSince(long epochMillis, JsonNode instant) {
		return instant.isString() ? (Instant.parse(instant.asString()).toEpochMilli() - epochMillis) / 1000.0 : -1;
	}

	private static boolean renewed(JsonNode status, Map<Integer, Integer> generations) {
		for (JsonNode worker : status.path("workers")) {
			if (worker.path("generation").asInt() <= generations.getOrDefault(worker.path("id").asInt(), 0)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Requests in each second from {@code first} to the last full second; the last
	 * second of a run is partial and left out, seconds without a response count as 0.
	 */
	static long[] series(SortedMap<Long, Long> perEpochSecond, long first) {
		long last = perEpochSecond.lastKey() - 1;
		long[] series = new long[(int) Math.max(0, last - first + 1)];
		for (int i = 0; i < series.length; i++) {
			series[i] = perEpochSecond.getOrDefault(first + i, 0L);
		}
		return series;
	}

	private void deleteSnapshots() throws IOException {
		Path snapshots = this.settings.snapshots();
		if (Files.exists(snapshots)) {
			try (var paths = Files.walk(snapshots)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	private static String javaVersion(Settings settings) {
		try {
			Process process = new ProcessBuilder(settings.java(), "-version").redirectErrorStream(true).start();
			String text = new String(process.getInputStream().readAllBytes());
			process.waitFor();
			return text.lines().skip(1).findFirst().orElse("java").trim();
		}
		catch (IOException ex) {
			return "java";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "java";
		}
	}

	static void log(String message) {
		System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), message);
	}

	@FunctionalInterface
	private interface TargetFactory {

		Target start() throws IOException;

	}

}
