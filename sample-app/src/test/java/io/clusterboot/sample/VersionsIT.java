package io.clusterboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.arguments;
import static io.clusterboot.sample.SampleCluster.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deploys the way many teams do, a copy of a new build onto the running jar and a
 * SIGHUP, under load: workers run versioned snapshots, so nothing reads the overwritten
 * file, and the previous version stays at hand for a rollback.
 */
class VersionsIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@TempDir
	Path temp;

	@Test
	void copyOntoTheRunningJarThenHupServesTheNewVersionWithNoFailedRequestAndRollsBack() throws Exception {
		Path app = this.temp.resolve("app.jar");
		Path v1 = SampleJars.withVersion("v1", this.temp.resolve("v1.jar"));
		Path v2 = SampleJars.withVersion("v2", this.temp.resolve("v2.jar"));
		Files.copy(v1, app);
		int port = SampleCluster.freePort();
		SampleCluster cluster = this.clusters.startJar(app, port,
				List.of("--server.port=" + port, "--cluster.instances=2",
						"--cluster.snapshots.directory=" + this.temp.resolve("snapshots"),
						"--management.endpoint.cluster.access=unrestricted"));
		JsonNode before = cluster.awaitReady(2);
		String firstVersion = before.at("/version/current").asString();
		assertThat(firstVersion).isNotBlank();
		assertThat(before.get("workers")).allSatisfy((worker) -> assertThat(worker.get("version").asString())
			.isEqualTo(firstVersion));
		assertThat(cluster.getJson("/version").get("version").asString()).isEqualTo("v1");
		try (HttpLoad load = HttpLoad.start(port, "/version", 4, 4, Duration.ofMinutes(3))) {
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > 200);
			SampleJars.copyInPlace(v2, app);
			Set<Long> pids = SampleCluster.pids(before);
			signal(cluster.primary().pid(), "HUP");
			JsonNode after = cluster.awaitReloaded(pids, 2);
			String secondVersion = after.at("/version/current").asString();
			assertThat(secondVersion).isNotEqualTo(firstVersion);
			assertThat(after.at("/version/previous").asString()).isEqualTo(firstVersion);
			assertThat(after.get("workers")).allSatisfy((worker) -> assertThat(worker.get("version").asString())
				.isEqualTo(secondVersion));
			long served = load.succeeded();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() > served + 200);
			load.stop();
			assertThat(load.failures()).isEmpty();
		}
		for (int i = 0; i < 10; i++) {
			assertThat(cluster.getJson("/version").get("version").asString()).isEqualTo("v2");
		}
		assertThat(cluster.primary().isAlive()).isTrue();
		Set<Long> v2Pids = SampleCluster.pids(cluster.status());
		assertThat(cluster.post("/actuator/cluster/rollback", "{}").status()).isEqualTo(200);
		JsonNode rolledBack = cluster.awaitReloaded(v2Pids, 2);
		assertThat(rolledBack.at("/version/current").asString()).isEqualTo(firstVersion);
		assertThat(cluster.getJson("/version").get("version").asString()).isEqualTo("v1");
	}

	@Test
	void workersStartedOnceTheClassDataArchiveIsTrainedUseIt() {
		int port = SampleCluster.freePort();
		SampleCluster cluster = this.clusters.startJar(SampleCluster.JAR, port, List.of("--server.port=" + port,
				"--cluster.instances=2", "--cluster.snapshots.directory=" + this.temp.resolve("snapshots")));
		Set<Long> first = SampleCluster.pids(cluster.awaitReady(2));
		await().atMost(Duration.ofSeconds(120)).until(() -> cluster.output().contains("Class-data archive for version"));
		assertThat(first).allSatisfy((pid) -> assertThat(arguments(pid)).noneMatch(VersionsIT::isArchiveOption));
		signal(cluster.primary().pid(), "HUP");
		Set<Long> second = SampleCluster.pids(cluster.awaitReloaded(first, 2));
		assertThat(second).allSatisfy((pid) -> assertThat(arguments(pid)).anyMatch(VersionsIT::isArchiveOption));
		assertThat(cluster.output()).doesNotContain("start without class-data sharing");
	}

	/**
	 * A JDK upgraded in place under a running primary, as a distribution's package update
	 * does it: same path, a new build whose spawn helper refuses the running JVM (what
	 * this test's helper does), and a release file that names the new build. From JDK 21
	 * on, the launch chooses fork and exec itself, as the README says.
	 */
	@Test
	void aJdkUpgradedInPlaceUnderTheRunningPrimaryRestartsCrashedWorkersAndTrainsAnArchiveOfItsOwn()
			throws Exception {
		Path jdk = this.temp.resolve("jdk");
		Process copy = new ProcessBuilder("cp", "-a", System.getProperty("java.home"), jdk.toString()).inheritIO()
			.start();
		assertThat(copy.waitFor()).isZero();
		int port = SampleCluster.freePort();
		List<String> jvmOptions = (Runtime.version().feature() >= 21)
				? List.of("-Djdk.lang.Process.launchMechanism=FORK") : List.of();
		List<String> command = new ArrayList<>(SampleCluster.javaCommand(SampleCluster.JAR, jvmOptions,
				List.of("--server.port=" + port, "--cluster.instances=2",
						"--cluster.snapshots.directory=" + this.temp.resolve("snapshots"))));
		command.set(0, jdk.resolve("bin/java").toString());
		SampleCluster cluster = this.clusters.launch(command, Map.of(), port);
		JsonNode before = cluster.awaitReady(2);
		await().atMost(Duration.ofSeconds(120)).until(() -> trainedArchives(cluster) == 1);

		Path helper = jdk.resolve("lib/jspawnhelper");
		Files.delete(helper);
		Files.writeString(helper, "#!/bin/sh\necho 'Incorrect Java version' >&2\nexit 1\n");
		assertThat(helper.toFile().setExecutable(true)).isTrue();
		Path release = jdk.resolve("release");
		Files.writeString(release,
				Files.readString(release).replace("JAVA_RUNTIME_VERSION=\"", "JAVA_RUNTIME_VERSION=\"upgraded-"));

		long crashed = SampleCluster.worker(before, 1).orElseThrow().get("pid").asLong();
		signal(crashed, "KILL");
		JsonNode restarted = await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(cluster::status, (status) -> SampleCluster.readyWorkers(status).size() == 2
					&& !SampleCluster.pids(status).contains(crashed));
		signal(cluster.primary().pid(), "HUP");
		JsonNode after = cluster.awaitReloaded(SampleCluster.pids(restarted), 2);
		assertThat(SampleCluster.pids(after)).as("workers of the new build are not handed the old build's archive")
			.allSatisfy((pid) -> assertThat(arguments(pid)).isNotEmpty().noneMatch(VersionsIT::isArchiveOption));
		await().atMost(Duration.ofSeconds(120)).until(() -> trainedArchives(cluster) == 2);
	}

	private static long trainedArchives(SampleCluster cluster) {
		return cluster.output().lines().filter((line) -> line.contains("Class-data archive for version")).count();
	}

	private static boolean isArchiveOption(String argument) {
		return argument.startsWith("-XX:SharedArchiveFile=") || argument.startsWith("-XX:AOTCache=");
	}

}
