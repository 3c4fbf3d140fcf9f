package io.clusterboot.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary under systemd, with the parts of systemd that run without it as PID 1: its
 * notification protocol, read from a real datagram socket, and socket activation through
 * Debian's {@code systemd-socket-activate}.
 */
class SystemdIT {

	private static final Duration LOAD_LIMIT = Duration.ofMinutes(3);

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@Test
	void systemdHearsReadyOnceEveryWorkerIsReadyEachReloadTheWatchdogAndTheStop() {
		try (NotifySocket notify = new NotifySocket()) {
			int port = SampleCluster.freePort();
			SampleCluster cluster = this.clusters.launch(SampleCluster.javaCommand(SampleCluster.JAR, List.of(),
					List.of("--server.port=" + port, "--cluster.instances=2")),
					Map.of("NOTIFY_SOCKET", notify.name(), "WATCHDOG_USEC", "2000000"), port);
			NotifySocket.Received ready = notify.await("READY=1"::equals);
			// The primary's status line, sent with READY=1, counts the workers ready then
			assertThat(notify.await((text) -> text.startsWith("STATUS="), ready).text())
				.startsWith("STATUS=2 of 2 workers ready");
			assertThat(notify.messages()).filteredOn((message) -> message.nanoTime() < ready.nanoTime())
				.noneMatch((message) -> message.text().startsWith("STATUS=2 of 2"));
			JsonNode status = cluster.status();
			assertThat(SampleCluster.readyWorkers(status)).as("workers READY when systemd hears READY=1").hasSize(2);
			assertThat(notify.messages()).anyMatch((message) -> message.text().startsWith("STATUS=2 of 2 workers ready"));

			Set<Long> pids = SampleCluster.pids(status);
			long signalled = System.nanoTime();
			signal(cluster.primary().pid(), "HUP");
			NotifySocket.Received reloading = notify.await((text) -> text.startsWith("RELOADING=1"));
			String monotonic = reloading.text().lines().filter((line) -> line.startsWith("MONOTONIC_USEC=")).findFirst()
				.orElseThrow(() -> new AssertionError("RELOADING=1 without MONOTONIC_USEC: " + reloading.text()));
			long micros = Long.parseLong(monotonic.substring("MONOTONIC_USEC=".length()));
			assertThat(micros).as("CLOCK_MONOTONIC, as this JVM's nanoTime reads it")
				.isBetween(TimeUnit.NANOSECONDS.toMicros(signalled), TimeUnit.NANOSECONDS.toMicros(reloading.nanoTime()));
			NotifySocket.Received readyAgain = notify.await((text) -> text.equals("READY=1"), reloading);
			JsonNode reloaded = cluster.status();
			assertThat(reloaded.at("/reload/state").asString()).isEqualTo("finished");
			// The replaced workers may still drain; the new ones serve
			assertThat(SampleCluster.readyWorkers(reloaded)).hasSize(2)
				.allSatisfy((worker) -> assertThat(pids).doesNotContain(worker.get("pid").asLong()));
			assertThat(readyAgain.nanoTime()).isGreaterThan(reloading.nanoTime());

			// Half of WATCHDOG_USEC: every second while the supervisor's loop runs
			assertThat(notify.messages().stream().filter((message) -> message.text().equals("WATCHDOG=1")).count())
				.isGreaterThanOrEqualTo(3);

			signal(cluster.primary().pid(), "TERM");
			notify.await("STOPPING=1"::equals);
			assertThat(cluster.primary().waitFor(60, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void startedBySystemdSocketActivateTheClusterServesThePassedSocket() {
		int port = SampleCluster.freePort();
		List<String> command = new ArrayList<>(List.of(socketActivate(), "--listen=127.0.0.1:" + port));
		// server.port would be another port: the passed socket wins
		command.addAll(SampleCluster.javaCommand(SampleCluster.JAR, List.of(),
				List.of("--server.port=" + SampleCluster.freePort(), "--cluster.instances=2")));
		SampleCluster cluster = this.clusters.launch(command, Map.of(), port);
		JsonNode status = cluster.awaitReady(2);
		assertThat(status.get("address").asString()).isEqualTo("127.0.0.1:" + port);
		assertThat(cluster.getJson("/hello").get("message").asString()).isEqualTo("hello");
		assertThat(status.at("/primary/pid").asLong()).as("systemd-socket-activate execs the primary")
			.isEqualTo(cluster.primary().pid());
		assertThat(cluster.output()).contains("Serving the socket systemd passed");
	}

	@Test
	void aRestartOfThePrimaryUnderLoadRefusesNoConnection() {
		int port = SampleCluster.freePort();
		// As a systemd .socket unit does: the socket outlives the service's processes.
		// The outer shell holds it and starts the primary again whenever it exits; the
		// inner one sets LISTEN_PID to its own pid and becomes the primary.
		String java = String.join(" ", SampleCluster.javaCommand(SampleCluster.JAR, List.of(),
				List.of("--cluster.instances=2")));
		String restartLoop = "while true; do sh -c 'export LISTEN_PID=$$; exec " + java + "'; done";
		SampleCluster cluster = this.clusters.launch(
				List.of(socketActivate(), "--listen=127.0.0.1:" + port, "sh", "-c", restartLoop), Map.of(), port);
		long firstPrimary = cluster.awaitReady(2).at("/primary/pid").asLong();
		try (HttpLoad load = HttpLoad.start(port, "/hello", 6, 6, LOAD_LIMIT)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > 500);
			signal(firstPrimary, "TERM");
			await().atMost(Duration.ofSeconds(60)).until(() -> !SampleCluster.isAlive(firstPrimary));
			JsonNode restarted = await().atMost(Duration.ofSeconds(120))
				.ignoreExceptions()
				.until(cluster::status, (status) -> status.at("/primary/pid").asLong() != firstPrimary
						&& SampleCluster.readyWorkers(status).size() == 2);
			long servedAfterRestart = load.succeeded();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > servedAfterRestart + 500);
			load.stop();
			assertThat(load.failures()).isEmpty();
			assertThat(restarted.get("address").asString()).isEqualTo("127.0.0.1:" + port);
		}
	}

	private static String socketActivate() {
		return SystemPackages.require("systemd-socket-activate", "systemd").toString();
	}

}
