package io.clusterboot.sample;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Workers stopped, replaced and reloaded under real load, with not one request failed.
 */
class DrainAndReloadIT {

	private static final Duration LOAD_LIMIT = Duration.ofMinutes(3);

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	private SampleCluster start(String... args) {
		return this.clusters.start(args);
	}

	@ParameterizedTest
	@ValueSource(strings = { "shared", "reuseport", "sticky" })
	void sigtermToOneWorkerUnderLoadFailsNoRequestAndIsNoCrash(String listen) {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.listen=" + listen);
		long stoppedPid = worker(cluster.awaitReady(2), 1).orElseThrow().get("pid").asLong();
		try (HttpLoad load = HttpLoad.start(cluster.port(), "/hello", 6, 6, LOAD_LIMIT)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > 500);
			signal(stoppedPid, "TERM");
			await().atMost(Duration.ofSeconds(60)).until(() -> !SampleCluster.isAlive(stoppedPid));
			long servedAfterStop = load.succeeded();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > servedAfterStop + 500);
			load.stop();
			assertThat(load.failures()).isEmpty();
		}
		JsonNode replaced = worker(cluster.awaitReady(2), 1).orElseThrow();
		assertThat(replaced.get("pid").asLong()).isNotEqualTo(stoppedPid);
		assertThat(replaced.get("generation").asInt()).isEqualTo(2);
		assertThat(replaced.get("lastExitCode").asInt()).as("a drained worker exits 0").isZero();
		assertThat(replaced.get("restarts").asInt()).as("a drain is no crash").isZero();
	}

	@ParameterizedTest(name = "cluster.max-surge={0}, {1} reloads")
	@CsvSource({ "1, 2", "2, 1" })
	void reloadsInARowUnderLoadFailNoRequest(int surge, int reloads) {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.max-surge=" + surge);
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		// A streamed page, so that bodies of unknown length must stay delimited while draining
		try (HttpLoad load = HttpLoad.start(cluster.port(), "/page", 6, 6, LOAD_LIMIT)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > 500);
			for (int reload = 1; reload <= reloads; reload++) {
				Set<Long> before = pids;
				signal(cluster.primary().pid(), "HUP");
				JsonNode status = cluster.awaitReloaded(before, 2);
				pids = SampleCluster.pids(status);
				assertThat(pids).hasSize(2).doesNotContainAnyElementsOf(before);
				status.get("workers").forEach((worker) -> assertThat(worker.get("state").asString()).isEqualTo("READY"));
			}
			long servedAfterReloads = load.succeeded();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > servedAfterReloads + 500);
			load.stop();
			assertThat(load.failures()).isEmpty();
		}
		JsonNode status = cluster.status();
		assertThat(worker(status, 1).orElseThrow().get("generation").asInt()).isEqualTo(1 + reloads);
		// The last reload's launches up to its first READY: max-surge replacements boot together
		List<String> untilFirstReady = new ArrayList<>();
		status.get("events").forEach((event) -> {
			String type = event.get("type").asString();
			if (type.equals("reload-started")) {
				untilFirstReady.clear();
			}
			else if ((type.equals("start") || type.equals("ready")) && !untilFirstReady.contains("ready")) {
				untilFirstReady.add(type);
			}
		});
		List<String> expected = new ArrayList<>(Collections.nCopies(surge, "start"));
		expected.add("ready");
		assertThat(untilFirstReady).containsExactlyElementsOf(expected);
	}

	@Test
	void primarySigtermLetsEveryInFlightRequestFinish() throws Exception {
		SampleCluster cluster = start("--cluster.instances=2");
		cluster.awaitReady(2);
		ExecutorService clients = Executors.newFixedThreadPool(20);
		try {
			List<CompletableFuture<String>> slow = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				slow.add(CompletableFuture.supplyAsync(() -> cluster.get("/slow?ms=3000"), clients));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> inFlight(cluster.status()) == 20);
			signal(cluster.primary().pid(), "TERM");
			for (CompletableFuture<String> response : slow) {
				assertThat(response.get()).contains("\"sleptMs\":3000");
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.primary().isAlive());
			assertThat(cluster.primary().exitValue()).isZero();
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void reloadToAVersionThatFailsOnStartupKeepsTheOldWorkers(@TempDir Path config) throws IOException {
		Path external = config.resolve("application.yml");
		Files.writeString(external, "sample:\n  fail-on-startup: false\n");
		SampleCluster cluster = start("--cluster.instances=2",
				"--spring.config.additional-location=file:" + external.toAbsolutePath());
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		Files.writeString(external, "sample:\n  fail-on-startup: true\n");
		signal(cluster.primary().pid(), "HUP");
		JsonNode aborted = await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(cluster::status, (status) -> status.at("/reload/state").asString().equals("aborted"));
		assertThat(aborted.at("/reload/detail").asString()).contains("exited with code 1 before it became ready");
		assertThat(events(aborted)).contains("reload-aborted");
		JsonNode after = cluster.awaitReady(2);
		assertThat(SampleCluster.pids(after)).isEqualTo(pids);
		assertThat(pids).contains(cluster.getJson("/hello").get("pid").asLong());
		assertThat(cluster.output()).contains("Reload aborted");

		Files.writeString(external, "sample:\n  fail-on-startup: false\n");
		signal(cluster.primary().pid(), "HUP");
		assertThat(SampleCluster.pids(cluster.awaitReloaded(pids, 2))).doesNotContainAnyElementsOf(pids);
	}

	@Test
	void ttinAndTtouScaleTheCluster() {
		SampleCluster cluster = start("--cluster.instances=2");
		cluster.awaitReady(2);
		signal(cluster.primary().pid(), "TTIN");
		assertThat(cluster.awaitReady(3).get("desired").asInt()).isEqualTo(3);
		signal(cluster.primary().pid(), "TTOU");
		JsonNode status = cluster.awaitReady(2);
		assertThat(status.get("desired").asInt()).isEqualTo(2);
		assertThat(worker(status, 3)).isEmpty();
	}

	@Test
	void maxRequestsRecyclesAWorkerWithoutFailingARequest() {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.max-requests=300",
				"--cluster.max-requests-jitter=100");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		try (HttpLoad load = HttpLoad.start(cluster.port(), "/hello", 4, 4, LOAD_LIMIT)) {
			JsonNode recycled = await().atMost(Duration.ofSeconds(90))
				.ignoreExceptions()
				.until(cluster::status, (status) -> events(status).contains("recycle-finished"));
			assertThat(recycled.toString()).contains("over cluster.max-requests");
			load.stop();
			assertThat(load.failures()).isEmpty();
		}
		assertThat(SampleCluster.pids(cluster.awaitReady(2))).isNotEqualTo(pids);
	}

	@Test
	void everyWorkerWarmsUpBeforeItIsReadyAndItsWarmUpIsNotCountedAsRequests() throws IOException {
		// Thousands of warm-up requests: counted, they would recycle the workers at once
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.warm-up.requests=/hello,/page",
				"--cluster.warm-up.duration=3s", "--cluster.max-requests=500");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		String output = cluster.output();
		for (int id = 1; id <= 2; id++) {
			assertThat(lineOf(output, "[worker-" + id + "]", "Warmed up with"))
				.isLessThan(lineOf(output, "Worker " + id + " (pid", "is ready"));
		}
		assertThat(output).doesNotContain("(cluster.warm-up.requests)");
		// The private port closed with the warm-up
		Matcher port = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) \\(cluster\\.warm-up\\)").matcher(output);
		assertThat(port.find()).isTrue();
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new Socket("127.0.0.1", Integer.parseInt(port.group(1))).close());

		for (int i = 0; i < 20; i++) {
			cluster.get("/hello");
		}
		// Heartbeats since show the requests served to clients (these and the test's status
		// polls), not the thousands of the warm-up
		JsonNode status = await().atMost(Duration.ofSeconds(30))
			.until(cluster::status, (current) -> requests(current) >= 20);
		assertThat(requests(status)).isLessThan(400);
		assertThat(SampleCluster.pids(status)).isEqualTo(pids);
	}

	@Test
	void maxMemoryRecyclesAWorker() {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.max-memory=10MB");
		JsonNode recycled = await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(cluster::status, (status) -> events(status).contains("recycle-finished"));
		assertThat(recycled.toString()).contains("is over cluster.max-memory");
	}

	@Test
	void deadlockedWorkerIsDumpedKilledAndReplaced() {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.heartbeat-timeout=3s");
		cluster.awaitReady(2);
		CompletableFuture.runAsync(() -> cluster.get("/deadlock"));
		JsonNode status = await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(cluster::status, (current) -> events(current).contains("stuck"));
		long stuckPid = stuckPid(status);
		await().atMost(Duration.ofSeconds(60)).until(() -> !SampleCluster.isAlive(stuckPid));
		JsonNode after = cluster.awaitReady(2);
		assertThat(SampleCluster.pids(after)).doesNotContain(stuckPid);
		assertThat(cluster.output()).contains("is stuck: no heartbeat for 3 s").contains("Found one Java-level deadlock");
	}

	private static int inFlight(JsonNode status) {
		int inFlight = 0;
		for (JsonNode worker : status.get("workers")) {
			inFlight += worker.get("inFlight").asInt();
		}
		return inFlight;
	}

	private static long requests(JsonNode status) {
		long requests = 0;
		for (JsonNode worker : status.get("workers")) {
			requests += worker.get("requests").asLong();
		}
		return requests;
	}

	// The index of the first line of the output that contains both parts
	private static int lineOf(String output, String part, String otherPart) {
		List<String> lines = output.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(part) && lines.get(i).contains(otherPart)) {
				return i;
			}
		}
		throw new AssertionError("No line with '" + part + "' and '" + otherPart + "' in\n" + output);
	}

	private static List<String> events(JsonNode status) {
		List<String> types = new ArrayList<>();
		status.get("events").forEach((event) -> types.add(event.get("type").asString()));
		return types;
	}

	private static long stuckPid(JsonNode status) {
		for (JsonNode event : status.get("events")) {
			if (event.get("type").asString().equals("stuck")) {
				return event.get("pid").asLong();
			}
		}
		throw new IllegalStateException("No stuck worker in " + status);
	}

}
