package io.clusterboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second start of the same command line launches its workers as the first start
 * planned them, before the configuration is read, and keeps them only if the
 * configuration and the jar still say the same.
 */
class LaunchAheadIT {

	private static final String LAUNCHED_AHEAD = "workers launched ahead";

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@TempDir
	Path temp;

	@Test
	void workersLaunchedAheadOfAChangedConfigurationAreStoppedAndLaunchedAsConfigured() {
		int port = SampleCluster.freePort();
		List<String> command = SampleCluster.javaCommand(SampleCluster.JAR, List.of(),
				List.of("--server.port=" + port));
		try (SampleCluster first = this.clusters.launch(command, Map.of("CLUSTER_INSTANCES", "2"), port)) {
			first.awaitReady(2);
		}
		try (SampleCluster second = this.clusters.launch(command, Map.of("CLUSTER_INSTANCES", "3"), port)) {
			second.awaitReady(3);
			assertThat(second.output())
				.contains("Stopping the " + LAUNCHED_AHEAD + " of the configuration, to launch them again: the "
						+ "configuration changed [instances]")
				.doesNotContain("as the previous start planned");
			// The two launched ahead exited before the three configured ones were launched
			assertThat(second.primary().children().filter(SampleCluster::isWorker)).hasSize(3);
		}
		try (SampleCluster single = this.clusters.launch(command, Map.of("CLUSTER_INSTANCES", "1"), port)) {
			awaitSingle(single);
			assertThat(single.output())
				.contains("Stopping the " + LAUNCHED_AHEAD + " of the configuration: this start runs one JVM");
		}
		// That start forgot the plan: the next single start launches nothing to stop it
		SampleCluster nextSingle = this.clusters.launch(command, Map.of("CLUSTER_INSTANCES", "1"), port);
		awaitSingle(nextSingle);
		assertThat(nextSingle.output()).doesNotContain(LAUNCHED_AHEAD);
	}

	/**
	 * Wait until a start has decided to run one JVM: Spring Boot logs that it starts the
	 * application, in the launched JVM, once the environment it decided on is prepared.
	 */
	private static void awaitSingle(SampleCluster single) {
		String launched = "with PID " + single.primary().pid() + " ";
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(single::output, (output) -> output.lines()
				.anyMatch((line) -> line.contains("Starting SampleApplication") && line.contains(launched)));
	}

	@Test
	void aSecondStartLaunchesItsWorkersAheadAndANewJarCopiedOverItIsNeverLaunchedAheadAsTheOldVersion()
			throws Exception {
		Path app = this.temp.resolve("app.jar");
		Files.copy(SampleJars.withVersion("v1", this.temp.resolve("v1.jar")), app);
		Path v2 = SampleJars.withVersion("v2", this.temp.resolve("v2.jar"));
		int port = SampleCluster.freePort();
		List<String> arguments = List.of("--server.port=" + port, "--cluster.instances=2",
				"--cluster.snapshots.directory=" + this.temp.resolve("snapshots"));
		try (SampleCluster first = this.clusters.startJar(app, port, arguments)) {
			first.awaitReady(2);
			assertThat(first.output()).doesNotContain("as the previous start planned");
		}
		// The jar the first start left at the path (a copy of itself) is known as v1
		try (SampleCluster second = this.clusters.startJar(app, port, arguments)) {
			second.awaitReady(2);
			assertThat(second.output()).containsPattern("Launched 2 workers \\d+ ms into the start, as the previous "
					+ "start planned").doesNotContain("Stopping the " + LAUNCHED_AHEAD);
			assertThat(second.getJson("/version").get("version").asString()).isEqualTo("v1");
		}
		SampleJars.copyInPlace(v2, app);
		SampleCluster third = this.clusters.startJar(app, port, arguments);
		third.awaitReady(2);
		assertThat(third.output()).doesNotContain("as the previous start planned")
			.doesNotContain("Stopping the " + LAUNCHED_AHEAD);
		for (int i = 0; i < 4; i++) {
			assertThat(third.getJson("/version").get("version").asString()).isEqualTo("v2");
		}
	}

}
