package io.clusterboot.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators use on a real 2-worker cluster: the endpoint's reads and writes,
 * health, metrics, worker identity and messaging. The tests share a cluster for each
 * access the endpoint is given: they start no worker of their own.
 */
class OperatorSurfaceIT {

	/**
	 * One cluster that a nested class's tests share: started before the first, killed by
	 * pid after the last, whether they passed or not.
	 */
	@TestInstance(Lifecycle.PER_CLASS)
	abstract static class OneCluster {

		private final String[] arguments;

		SampleCluster cluster;

		OneCluster(String... arguments) {
			this.arguments = arguments;
		}

		@BeforeAll
		void start() {
			this.cluster = SampleCluster.start(this.arguments);
			this.cluster.awaitReady(2);
		}

		@AfterAll
		void stop() {
			if (this.cluster != null) {
				this.cluster.close();
			}
		}

	}

	/**
	 * Reads, messaging, and a primary frozen and thawed, on one cluster with the
	 * endpoint's default access.
	 */
	@Nested
	class OnOneClusterWithDefaultAccess extends OneCluster {

		OnOneClusterWithDefaultAccess() {
			super("--cluster.instances=2", "--management.endpoint.health.show-details=always",
					"--management.endpoints.web.exposure.include=health,cluster,metrics,prometheus");
		}

		@Test
		void healthMetricsIdentityAndMessaging() {
			Set<Long> pids = SampleCluster.pids(this.cluster.awaitReady(2));

			// DOWN (503) while the answering worker's last status predates the others' READY
			JsonNode health = await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> this.cluster.getJson("/actuator/health/cluster"),
						(node) -> node.at("/details/ready").asInt() == 2);
			assertThat(health.get("status").asString()).isEqualTo("UP");
			assertThat(health.at("/details/desired").asInt()).isEqualTo(2);

			// Each worker's gauges read the status it last fetched, at most a heartbeat old
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.cluster.getJson("/actuator/metrics/cluster.workers?tag=state:READY")
					.at("/measurements/0/value")
					.asDouble() == 2.0);
			JsonNode jvm = this.cluster.getJson("/actuator/metrics/jvm.memory.used");
			List<String> workerTags = new ArrayList<>();
			jvm.get("availableTags").forEach((tag) -> {
				if (tag.get("tag").asString().equals("worker")) {
					tag.get("values").forEach((value) -> workerTags.add(value.asString()));
				}
			});
			assertThat(workerTags).hasSize(1).first().isIn("1", "2");

			Map<Long, Boolean> lead = new HashMap<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				JsonNode answer = this.cluster.getJson("/lead");
				lead.put(answer.get("pid").asLong(), answer.get("lead").asBoolean());
				return lead.keySet().equals(pids);
			});
			assertThat(lead.values()).containsExactlyInAnyOrder(true, false);

			assertThat(this.cluster.post("/cache/evict?key=prices", "").status()).isEqualTo(200);
			Set<Long> evictedIn = new HashSet<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				JsonNode answer = this.cluster.getJson("/cache/evicted");
				if (answer.toString().contains("prices")) {
					evictedIn.add(answer.get("pid").asLong());
				}
				return evictedIn.equals(pids);
			});
		}

		@Test
		void writesAreRefusedByDefault() {
			assertThat(this.cluster.post("/actuator/cluster/reload", "{}").status()).isBetween(403, 405);
			assertThat(this.cluster.status().at("/reload").isNull() || this.cluster.status().at("/reload").isMissingNode())
				.isTrue();
		}

		@Test
		void unknownWorkerIs404AndAFrozenPrimaryIs503WithTheLastKnownStatus() {
			assertThat(this.cluster.exchange("GET", "/actuator/cluster/99", null).status()).isEqualTo(404);
			assertThat(this.cluster.exchange("GET", "/actuator/cluster/1", null).status()).isEqualTo(200);
			signal(this.cluster.primary().pid(), "STOP");
			try {
				SampleCluster.Response frozen = this.cluster.exchange("GET", "/actuator/cluster", null);
				assertThat(frozen.status()).isEqualTo(503);
				JsonNode body = SampleCluster.parse(frozen.body());
				assertThat(body.get("error").asString()).contains("did not answer");
				assertThat(body.at("/lastKnown/workers")).hasSize(2);
			}
			finally {
				signal(this.cluster.primary().pid(), "CONT");
			}
			assertThat(this.cluster.exchange("GET", "/actuator/cluster", null).status()).isEqualTo(200);
		}

		@Test
		void oneScrapeShowsEveryWorker() {
			// Each worker's gauges read the status it last fetched, at most a heartbeat old
			String scrape = await().atMost(Duration.ofSeconds(30))
				.until(() -> this.cluster.get("/actuator/prometheus"),
						(body) -> body.contains("cluster_workers{state=\"READY\"} 2.0"));
			assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"")
				.contains("worker=\"1\"")
				.contains("worker=\"2\"");
			assertThat(scrape.lines().filter((line) -> line.startsWith("# TYPE jvm_memory_used_bytes "))).hasSize(1);
			// The cluster's own gauges once, not once per worker, so that sum() is right
			assertThat(scrape.lines().filter((line) -> line.startsWith("cluster_workers{state=\"READY\"}"))).hasSize(1);
			assertThat(scrape).doesNotContainPattern("cluster_workers\\{[^}]*worker=");
		}

		@Test
		void includedNamesLimitEveryWorkersPartOfTheScrape() {
			String scrape = await().atMost(Duration.ofSeconds(30))
				.until(() -> this.cluster.get("/actuator/prometheus?includedNames=jvm_threads_live_threads"),
						(body) -> body.contains("worker=\"1\"") && body.contains("worker=\"2\""));
			assertThat(scrape.lines().filter((line) -> !line.startsWith("#")))
				.allMatch((line) -> line.startsWith("jvm_threads_live_threads{"))
				.hasSize(2);
		}

	}

	/**
	 * Bad commands, then commands that change the cluster, on one cluster whose endpoint
	 * takes writes.
	 */
	@Nested
	@TestMethodOrder(OrderAnnotation.class)
	class OnOneClusterWithWritesOpened extends OneCluster {

		OnOneClusterWithWritesOpened() {
			super("--cluster.instances=2", "--management.endpoint.cluster.access=unrestricted");
		}

		@Test
		@Order(1)
		void badCommandsAreRejectedWithTheReason() {
			SampleCluster.Response banana = this.cluster.post("/actuator/cluster/scale", "{\"instances\":\"banana\"}");
			assertThat(banana.status()).isEqualTo(400);
			assertThat(banana.body()).contains("banana").contains("'max'");
			assertThat(this.cluster.post("/actuator/cluster/restart", "{\"id\":7}").status()).isEqualTo(400);
			assertThat(this.cluster.post("/actuator/cluster/explode", "{}").status()).isEqualTo(400);
			assertThat(this.cluster.post("/actuator/cluster/scale", "{}").status()).isEqualTo(400);
			assertThat(this.cluster.status().get("desired").asInt()).isEqualTo(2);
		}

		@Test
		@Order(2)
		void writesScaleReloadAndRestartWhenOpened() {
			JsonNode status = this.cluster.awaitReady(2);
			JsonNode one = this.cluster.getJson("/actuator/cluster/1");
			assertThat(one.get("pid").asLong()).isEqualTo(worker(status, 1).orElseThrow().get("pid").asLong());
			assertThat(one.has("cpu")).isTrue();
			assertThat(one.has("inFlight")).isTrue();
			assertThat(this.cluster.post("/actuator/cluster/9", "{}").status()).isEqualTo(400);

			SampleCluster.Response scale = this.cluster.post("/actuator/cluster/scale", "{\"instances\":\"3\"}");
			assertThat(scale.status()).isEqualTo(200);
			assertThat(scale.body()).contains("scale to 3 workers");
			Set<Long> pids = SampleCluster.pids(this.cluster.awaitReady(3));

			assertThat(this.cluster.post("/actuator/cluster/reload", "{}").status()).isEqualTo(200);
			JsonNode reloaded = this.cluster.awaitReloaded(pids, 3);
			assertThat(reloaded.get("reloads").asInt()).isEqualTo(1);

			long workerTwo = worker(reloaded, 2).orElseThrow().get("pid").asLong();
			assertThat(this.cluster.post("/actuator/cluster/restart", "{\"id\":2}").status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(90))
				.ignoreExceptions()
				.until(() -> worker(this.cluster.status(), 2).orElseThrow(),
						(worker) -> worker.get("pid").asLong() != workerTwo && worker.get("state").asString().equals("READY"));
		}

	}

}
