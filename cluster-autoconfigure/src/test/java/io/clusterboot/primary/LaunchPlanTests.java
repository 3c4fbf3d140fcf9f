package io.clusterboot.primary;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.clusterboot.ClusterProperties;
import io.clusterboot.ClusterProperties.Listen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class LaunchPlanTests {

	private static final List<String> COMMAND = List.of("/usr/bin/java", "-Xmx256m", "-jar", "/srv/app.jar",
			"--server.port=8080");

	@TempDir
	Path temp;

	@Test
	void takesWhatTheConfigurationSaysAboutLaunchingWorkers() throws Exception {
		ClusterProperties properties = new ClusterProperties();
		properties.setListen(Listen.STICKY);
		properties.setWorkerJvmOptions(List.of("-Xss512k"));
		properties.setLeanWorkers(false);
		properties.getSnapshots().setDirectory(this.temp.resolve("snapshots"));
		LaunchPlan plan = LaunchPlan.of(properties, 3, COMMAND, InetAddress.getByName("127.0.0.1"), 9090, 50);
		assertThat(plan.instances()).isEqualTo(3);
		assertThat(plan.listen()).isEqualTo(Listen.STICKY);
		assertThat(plan.workerJvmOptions()).containsExactly("-Xss512k");
		assertThat(plan.leanWorkers()).isFalse();
		assertThat(plan.snapshots()).isEqualTo(this.temp.resolve("snapshots"));
		assertThat(plan.bootJar()).isEqualTo(Path.of("/srv/app.jar"));
		assertThat(plan.port()).isEqualTo(9090);
		assertThat(plan.backlog()).isEqualTo(50);
	}

	@Test
	void aClassPathLaunchHasNoSnapshots() {
		ClusterProperties properties = new ClusterProperties();
		LaunchPlan plan = LaunchPlan.of(properties, 2, List.of("java", "-cp", "classes", "com.example.App"), null,
				8080, 100);
		assertThat(plan.snapshots()).isNull();
		assertThat(plan.bootJar()).isNull();
	}

	@Test
	void isRecordedAndReadBackInADirectoryOfItsOwnerAlone() throws Exception {
		LaunchPlan plan = plan(2, 8080, InetAddress.getByName("::1"));
		Path file = this.temp.resolve("cache/app/launch-plan-1.properties");
		plan.save(file);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
			.isEqualTo("rwx------");
		assertThat(LaunchPlan.load(file)).isEqualTo(plan);
		assertThat(LaunchPlan.load(this.temp.resolve("cache/app/none.properties"))).isNull();
	}

	@Test
	void everyAddressIsRecordedAsNoAddress() throws IOException {
		LaunchPlan plan = plan(2, 8080, null);
		Path file = this.temp.resolve("plans/plan.properties");
		plan.save(file);
		assertThat(LaunchPlan.load(file)).isEqualTo(plan);
	}

	@Test
	void aPlanInADirectoryOthersCanEnterIsNotRead() throws IOException {
		Path file = this.temp.resolve("plans/plan.properties");
		plan(2, 8080, null).save(file);
		Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThatIOException().isThrownBy(() -> LaunchPlan.load(file))
			.withMessageContaining("no other user can plant files there");
	}

	@Test
	void aMalformedPlanIsAnError() throws IOException {
		Path file = this.temp.resolve("plans/plan.properties");
		plan(2, 8080, null).save(file);
		List<String> lines = new ArrayList<>(Files.readAllLines(file));
		lines.removeIf((line) -> line.startsWith("port="));
		Files.write(file, lines);
		assertThatIOException().isThrownBy(() -> LaunchPlan.load(file)).withMessageContaining("'port' is missing");
		Files.writeString(file, "format=1\naddress=example.com\n");
		assertThatIOException().isThrownBy(() -> LaunchPlan.load(file)).withMessageContaining("Malformed");
		Files.writeString(file, "format=2\n");
		assertThatIOException().isThrownBy(() -> LaunchPlan.load(file)).withMessageContaining("unknown format 2");
	}

	@Test
	void namesWhatDiffersFromAnotherPlan() {
		LaunchPlan plan = plan(2, 8080, null);
		assertThat(plan.differencesFrom(plan(2, 8080, null))).isEmpty();
		assertThat(plan.differencesFrom(plan(3, 9090, null))).containsExactly("instances", "port");
		LaunchPlan otherOptions = new LaunchPlan(List.of("java", "-Xss1m", "-jar", "/srv/app.jar"), List.of("-Xss1m"),
				2, Listen.SHARED, null, 8080, 100, Path.of("/snapshots"), true, true, true, false);
		assertThat(plan.differencesFrom(otherOptions)).containsExactly("worker-command", "worker-jvm-options");
	}

	@Test
	void eachCommandLineHasAPlanOfItsOwnNextToTheSnapshots() {
		Map<String, String> environment = Map.of();
		Path plan = LaunchPlan.fileFor(COMMAND, environment);
		assertThat(plan.getFileName().toString()).matches("launch-plan-\\p{XDigit}{16}\\.properties");
		assertThat(LaunchPlan.fileFor(COMMAND, environment)).isEqualTo(plan);
		List<String> otherPort = List.of("/usr/bin/java", "-Xmx256m", "-jar", "/srv/app.jar", "--server.port=9090");
		assertThat(LaunchPlan.fileFor(otherPort, environment)).isNotEqualTo(plan).hasParentRaw(plan.getParent());
		assertThat(LaunchPlan.fileFor(List.of("java", "-cp", "classes", "com.example.App"), environment)).isNull();
	}

	@Test
	void followsTheSnapshotsDirectoryGivenOnTheCommandLineOrInTheEnvironment() {
		List<String> withDirectory = List.of("java", "-jar", "/srv/app.jar", "--cluster.snapshots.directory=/var/snap");
		assertThat(LaunchPlan.fileFor(withDirectory, Map.of())).hasParentRaw(Path.of("/var/snap"));
		assertThat(LaunchPlan.fileFor(COMMAND, Map.of("CLUSTER_SNAPSHOTS_DIRECTORY", "/var/env")))
			.hasParentRaw(Path.of("/var/env"));
	}

	@Test
	void keepsTheMostRecentPlansOfADirectory() throws IOException {
		Path directory = this.temp.resolve("plans");
		for (int i = 0; i < 20; i++) {
			Path file = directory.resolve("launch-plan-" + i + ".properties");
			plan(2, 8000 + i, null).save(file);
			Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L * (i + 1)));
		}
		try (Stream<Path> plans = Files.list(directory)) {
			assertThat(plans.map((file) -> file.getFileName().toString())).hasSize(16)
				.doesNotContain("launch-plan-0.properties", "launch-plan-1.properties", "launch-plan-2.properties")
				.contains("launch-plan-19.properties");
		}
	}

	private static LaunchPlan plan(int instances, int port, InetAddress address) {
		return new LaunchPlan(List.of("java", "-jar", "/srv/app.jar"), List.of(), instances, Listen.SHARED, address,
				port, 100, Path.of("/snapshots"), true, true, true, false);
	}

}
