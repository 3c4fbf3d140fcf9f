package io.clusterboot.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP over WebSocket across workers, with the sample's unchanged single-JVM
 * configuration on Spring's simple broker: broadcasts and private messages reach clients
 * on every worker, and a draining worker sends its clients elsewhere.
 */
class WebSocketClusterIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	private final List<StompClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(StompClient::close);
	}

	@Test
	void broadcastsAndPrivateMessagesReachClientsOnEveryWorker() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		cluster.awaitReady(2);
		Map<Integer, List<StompClient>> byWorker = connectOnEachWorker(cluster.port(), 2, 4);
		List<StompClient> everyone = byWorker.values().stream().flatMap(List::stream).toList();
		List<BlockingQueue<JsonNode>> rooms = everyone.stream().map((client) -> client.subscribe("/topic/chat")).toList();
		// The subscriptions are in place once each client has had an answer after them
		everyone.forEach(StompClient::worker);
		for (int i = 0; i < everyone.size(); i++) {
			everyone.get(i).send("/app/chat", "{\"text\":\"message " + i + "\"}");
		}
		Set<String> sent = new HashSet<>();
		for (int i = 0; i < everyone.size(); i++) {
			sent.add("message " + i);
		}
		for (BlockingQueue<JsonNode> room : rooms) {
			Set<String> received = new HashSet<>();
			Set<Integer> via = new HashSet<>();
			for (int i = 0; i < everyone.size(); i++) {
				JsonNode message = StompClient.take(room);
				received.add(message.get("text").asString());
				via.add(message.get("worker").asInt());
			}
			assertThat(received).isEqualTo(sent);
			assertThat(via).containsExactlyInAnyOrder(1, 2);
		}

		StompClient bob = byWorker.get(1).get(0);
		BlockingQueue<JsonNode> whispers = bob.subscribe("/user/queue/whispers");
		bob.worker();
		byWorker.get(2).get(0).send("/app/whisper", "{\"to\":\"" + bob.name() + "\",\"text\":\"psst\"}");
		JsonNode whisper = StompClient.take(whispers);
		assertThat(whisper.get("text").asString()).isEqualTo("psst");
		assertThat(whisper.get("worker").asInt()).as("sent in the other worker").isEqualTo(2);
	}

	@Test
	void aDrainingWorkerClosesItsSessionsWithGoingAway() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		long draining = worker(cluster.awaitReady(2), 1).orElseThrow().get("pid").asLong();
		Map<Integer, List<StompClient>> byWorker = connectOnEachWorker(cluster.port(), 2, 2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> worker(cluster.status(), 1).orElseThrow().get("webSocketSessions").asInt() == 2);
		signal(draining, "TERM");
		for (StompClient client : byWorker.get(1)) {
			assertThat(client.closeCode()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(1001);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> !SampleCluster.isAlive(draining));
		assertThat(cluster.output()).containsPattern("Draining: .* connections open, 2 WebSocket sessions")
			.contains("Closed 2 WebSocket sessions with 1001 (Going Away)");
		for (StompClient client : byWorker.get(2)) {
			assertThat(client.closeCode()).isNotDone();
			assertThat(client.worker()).isEqualTo(2);
		}
	}

	/**
	 * Connect clients until each worker holds the given number, closing the extra ones:
	 * the kernel decides which worker takes a connection.
	 */
	private Map<Integer, List<StompClient>> connectOnEachWorker(int port, int workers, int each) {
		Map<Integer, List<StompClient>> byWorker = new TreeMap<>();
		for (int attempt = 0; attempt < 50 && !(byWorker.size() == workers
				&& byWorker.values().stream().allMatch((held) -> held.size() == each)); attempt++) {
			StompClient probe = StompClient.connect(port, "probe-" + attempt);
			this.clients.add(probe);
			int worker = probe.worker();
			List<StompClient> held = byWorker.computeIfAbsent(worker, (key) -> new ArrayList<>());
			if (held.size() < each) {
				held.add(probe);
			}
		}
		assertThat(byWorker).hasSize(workers);
		byWorker.values().forEach((held) -> assertThat(held).hasSize(each));
		return byWorker;
	}

}
