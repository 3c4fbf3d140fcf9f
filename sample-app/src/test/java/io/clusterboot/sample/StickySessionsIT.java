package io.clusterboot.sample;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.listen=sticky}: the kernel routes every connection of a client address
 * to the same worker, across reloads and without a failed request.
 */
class StickySessionsIT {

	private static final Duration LOAD_LIMIT = Duration.ofMinutes(3);

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@Test
	void everyConnectionOfAClientAddressReachesOneWorkerAcrossAReload() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--cluster.listen=sticky");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		assertThat(cluster.status().get("listen").asString()).isEqualTo("sticky");
		List<InetAddress> clients = IntStream.rangeClosed(2, 17).mapToObj(StickySessionsIT::loopback).toList();
		// A new connection for every request, from 16 addresses in turn
		try (HttpLoad load = HttpLoad.start(cluster.port(), "/hello", 0, 16, LOAD_LIMIT, clients)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> load.succeeded() >= 1000);
			Map<InetAddress, Set<Integer>> beforeReload = load.workersBySource();
			signal(cluster.primary().pid(), "HUP");
			cluster.awaitReloaded(pids, 2);
			long servedAfterReload = load.succeeded();
			await().atMost(Duration.ofSeconds(60)).until(() -> load.succeeded() >= servedAfterReload + 1000);
			load.stop();
			assertThat(load.failures()).isEmpty();
			Map<InetAddress, Set<Integer>> workers = load.workersBySource();
			assertThat(workers).hasSize(16).isEqualTo(beforeReload);
			Set<Integer> reached = new HashSet<>();
			workers.forEach((client, ids) -> {
				assertThat(ids).as("workers that answered %s", client).hasSize(1);
				reached.addAll(ids);
			});
			assertThat(reached).as("every worker gets some addresses").containsExactlyInAnyOrder(1, 2);
		}
	}

	@Test
	void anInMemorySessionHoldsForAClientAndTheAdviceSaysUntilWhen() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--cluster.listen=sticky");
		cluster.awaitReady(2);
		SampleCluster.Response first = cluster.get("/visits", Map.of());
		String cookie = first.setCookie().split(";")[0];
		for (int visit = 2; visit <= 20; visit++) {
			JsonNode visits = SampleCluster.parse(cluster.get("/visits", Map.of("Cookie", cookie)).body());
			assertThat(visits.get("visits").asInt()).isEqualTo(visit);
		}
		JsonNode advice = await().atMost(Duration.ofSeconds(10))
			.until(() -> cluster.status().get("advice"), (found) -> found.toString().contains("in-memory-sessions"));
		assertThat(advice.at("/0/message").asString()).contains("lost when the worker restarts or is reloaded");
	}

	private static InetAddress loopback(int host) {
		try {
			return InetAddress.getByName("127.0.0." + host);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
