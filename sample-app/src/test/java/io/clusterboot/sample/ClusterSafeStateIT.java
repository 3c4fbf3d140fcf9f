package io.clusterboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * State that one JVM kept for the whole application and that two workers would split,
 * on a real 2-worker cluster: scheduled tasks, local caches, log files, sessions.
 */
class ClusterSafeStateIT {

	private static final Pattern REQUEST_LINE = Pattern.compile("Request line (\\d+)");

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@TempDir
	Path directory;

	@Test
	void scheduledTasksRunOnlyInTheLeadWorkerAndMoveWithIt() {
		Path ticks = this.directory.resolve("ticks.log");
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--sample.tick-interval=100ms",
				"--sample.ticks-file=" + ticks, "--cluster.restart.initial-delay=2s");
		JsonNode status = cluster.awaitReady(2);
		long one = worker(status, 1).orElseThrow().get("pid").asLong();
		long two = worker(status, 2).orElseThrow().get("pid").asLong();
		await().atMost(Duration.ofSeconds(10)).until(() -> lead(cluster.status()) == one);
		// A run of worker 2 may have been under way when the lead settled
		int start = lines(ticks).size() + 1;
		int end = awaitTicks(ticks, start, 10);
		assertThat(Set.copyOf(lines(ticks).subList(start, end))).containsExactly(one);
		assertThat(cluster.status().get("advice").toString()).doesNotContain("scheduled-tasks");

		signal(one, "KILL");
		// While worker 1 is down, worker 2 leads and runs the task
		int killed = lines(ticks).size();
		await().atMost(Duration.ofSeconds(10)).until(() -> ticksAfter(ticks, killed).contains(two));
		assertThat(Set.copyOf(ticksAfter(ticks, killed))).containsExactly(two);

		JsonNode restarted = cluster.awaitReady(2);
		long newOne = worker(restarted, 1).orElseThrow().get("pid").asLong();
		await().atMost(Duration.ofSeconds(10)).until(() -> lead(cluster.status()) == newOne);
		int handedBack = lines(ticks).size();
		int later = awaitTicks(ticks, handedBack + 1, 10);
		// At most one run of worker 2 was already under way when the lead moved
		assertThat(Set.copyOf(lines(ticks).subList(handedBack + 1, later))).containsExactly(newOne);
	}

	@Test
	void withTheHandlingOffEveryWorkerRunsTheTasksAndTheReportSaysSo() {
		Path ticks = this.directory.resolve("ticks.log");
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--sample.tick-interval=100ms",
				"--sample.ticks-file=" + ticks, "--cluster.scheduling=all", "--cluster.cache.coherent=false");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		await().atMost(Duration.ofSeconds(10)).until(() -> Set.copyOf(lines(ticks)).containsAll(pids));
		JsonNode advice = await().atMost(Duration.ofSeconds(10))
			.until(() -> cluster.status().get("advice"), (found) -> found.size() == 2);
		assertThat(advice.at("/0/code").asString()).isEqualTo("scheduled-tasks");
		// The task of the @ConditionalOnLeadWorker bean runs once already
		assertThat(advice.at("/0/subject").asString()).isEqualTo("io.clusterboot.sample.TickJob.tick");
		assertThat(advice.at("/0/remedy").asString()).contains("cluster.scheduling=lead");
		assertThat(advice.at("/1/code").asString()).isEqualTo("local-cache");
		assertThat(advice.at("/1/subject").asString()).isEqualTo("CacheManager 'cacheManager'");
		assertThat(cluster.output()).containsOnlyOnce("Cluster advice [scheduled-tasks]")
			.containsOnlyOnce("Cluster advice [local-cache]");
	}

	@Test
	void anEvictionInOneWorkerReachesTheOtherAndSessionsAreReportedOnceCreated() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		Map<Integer, String> cached = new HashMap<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode price = cluster.getJson("/prices/apple");
			cached.put(price.get("worker").asInt(), price.get("price").asString());
			return cached.size() == 2;
		});
		// Cached: each worker answers with the price it computed first
		for (int i = 0; i < 10; i++) {
			JsonNode price = cluster.getJson("/prices/apple");
			assertThat(price.get("price").asString()).isEqualTo(cached.get(price.get("worker").asInt()));
		}
		int evictedBy = SampleCluster.parse(cluster.exchange("DELETE", "/prices/apple", null).body())
			.get("worker")
			.asInt();
		int other = (evictedBy == 1) ? 2 : 1;
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode price = cluster.getJson("/prices/apple");
			return price.get("worker").asInt() == other
					&& !price.get("price").asString().equals(cached.get(other));
		});

		assertThat(cluster.status().get("advice").toString()).doesNotContain("in-memory-sessions");
		assertThat(cluster.getJson("/visits").get("visits").asInt()).isEqualTo(1);
		JsonNode advice = await().atMost(Duration.ofSeconds(10))
			.until(() -> cluster.status().get("advice"), (found) -> found.toString().contains("in-memory-sessions"));
		assertThat(advice.at("/0/message").asString()).contains("worker that created it");
		assertThat(advice.at("/0/remedy").asString()).contains("Spring Session");
		assertThat(pids).hasSize(2);
	}

	@Test
	void everyProcessWritesItsOwnLogFileAndNoLineIsLostUnderLoad() throws Exception {
		Path log = this.directory.resolve("app.log");
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--logging.file.name=" + log,
				"--logging.logback.rollingpolicy.max-file-size=20KB");
		cluster.awaitReady(2);
		int lines = 3200;
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> requests = new ArrayList<>();
			for (int client = 0; client < 8; client++) {
				int first = client;
				requests.add(clients.submit(() -> {
					for (int line = first; line < lines; line += 8) {
						cluster.get("/log?line=" + line);
					}
				}));
			}
			for (Future<?> request : requests) {
				request.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		signal(cluster.primary().pid(), "TERM");
		assertThat(cluster.primary().waitFor(60, TimeUnit.SECONDS)).isTrue();

		List<Path> files = files(this.directory);
		assertThat(files).extracting((file) -> file.getFileName().toString())
			.contains("app.log", "app-1.log", "app-2.log")
			.anyMatch((name) -> name.startsWith("app-1.log.") && name.endsWith(".gz"));
		Map<Long, Integer> logged = new HashMap<>();
		for (Path file : files) {
			String text = read(file);
			if (file.getFileName().toString().equals("app.log")) {
				assertThat(text).as("the primary's own file").doesNotContain("Request line").contains("Cluster primary");
			}
			Matcher matcher = REQUEST_LINE.matcher(text);
			while (matcher.find()) {
				logged.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
			}
		}
		assertThat(logged).hasSize(lines);
		assertThat(Set.copyOf(logged.values())).containsExactly(1);
	}

	@Test
	void sessionsInRedisHoldAcrossWorkers() throws Exception {
		try (RedisServer redis = RedisServer.start(this.directory)) {
			SampleCluster cluster = this.clusters.start("--cluster.instances=2",
					"--spring.profiles.active=redis-sessions", "--sample.redis.port=" + redis.port());
			cluster.awaitReady(2);
			String cookie = null;
			Set<Integer> workers = new HashSet<>();
			for (int visit = 1; visit <= 40 && (visit <= 10 || workers.size() < 2); visit++) {
				// A new connection each time, so that both workers serve the client
				SampleCluster.Response response = cluster.get("/visits",
						(cookie != null) ? Map.of("Cookie", cookie) : Map.of());
				assertThat(response.status()).isEqualTo(200);
				if (response.setCookie() != null) {
					cookie = response.setCookie().split(";", 2)[0];
				}
				JsonNode answer = SampleCluster.parse(response.body());
				workers.add(answer.get("worker").asInt());
				assertThat(answer.get("visits").asInt()).as("visit %d, on worker %s", visit, answer.get("worker"))
					.isEqualTo(visit);
			}
			assertThat(workers).containsExactlyInAnyOrder(1, 2);
			assertThat(cookie).startsWith("SESSION=");
			assertThat(cluster.status().get("advice").toString()).doesNotContain("in-memory-sessions");
		}
	}

	private static long lead(JsonNode status) {
		for (JsonNode worker : status.get("workers")) {
			if (worker.get("lead").asBoolean()) {
				return worker.get("pid").asLong();
			}
		}
		return -1;
	}

	/**
	 * Wait until the file has this many more ticks than {@code from}.
	 * @return the number of lines then
	 */
	private static int awaitTicks(Path ticks, int from, int count) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> lines(ticks).size(), (size) -> size >= from + count);
	}

	private static List<Long> ticksAfter(Path ticks, int from) {
		List<Long> all = lines(ticks);
		return all.subList(Math.min(from, all.size()), all.size());
	}

	private static List<Long> lines(Path ticks) {
		try {
			if (!Files.exists(ticks)) {
				return List.of();
			}
			return Files.readAllLines(ticks).stream().filter((line) -> !line.isBlank()).map(Long::valueOf).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(Files::isRegularFile).sorted().toList();
		}
	}

	private static String read(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			InputStream content = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
			return new String(content.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
