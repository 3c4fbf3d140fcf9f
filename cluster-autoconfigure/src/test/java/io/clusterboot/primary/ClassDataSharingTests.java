package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.clusterboot.primary.snapshot.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ClassDataSharingTests {

	@TempDir
	Path temp;

	private final List<String> command = List.of("/usr/bin/java", "-Xmx256m", "-XX:ActiveProcessorCount=1", "-jar",
			"/snapshots/v1/app.jar", "--server.port=8080");

	@Test
	void workersStartWithoutAnArchiveUntilOneIsTrained() throws IOException {
		ClassDataSharing classData = new ClassDataSharing(17);
		Snapshot version = version();
		assertThat(classData.use(this.command, version)).isEqualTo(this.command);
		Path archive = classData.archive(this.command, version);
		Files.createDirectories(archive.getParent());
		Files.writeString(archive, "archive");
		assertThat(classData.use(this.command, version)).containsExactly("/usr/bin/java",
				"-XX:SharedArchiveFile=" + archive, "-Xmx256m", "-XX:ActiveProcessorCount=1", "-jar",
				"/snapshots/v1/app.jar", "--server.port=8080");
	}

	@Test
	void jdk25AndLaterUseTheAotCache() throws IOException {
		ClassDataSharing classData = new ClassDataSharing(25);
		Path archive = classData.archive(this.command, version());
		assertThat(archive.getFileName().toString()).endsWith(".aot");
		Files.createDirectories(archive.getParent());
		Files.writeString(archive, "cache");
		assertThat(classData.use(this.command, version())).contains("-XX:AOTCache=" + archive);
	}

	@Test
	void anArchiveBelongsToTheExactJvmOptionsItWasTrainedWith() {
		ClassDataSharing classData = new ClassDataSharing(17);
		List<String> otherHeap = List.of("/usr/bin/java", "-Xmx512m", "-XX:ActiveProcessorCount=1", "-jar",
				"/snapshots/v1/app.jar", "--server.port=8080");
		List<String> otherArguments = List.of("/usr/bin/java", "-Xmx256m", "-XX:ActiveProcessorCount=1", "-jar",
				"/snapshots/v1/app.jar", "--server.port=9090");
		assertThat(classData.archive(otherHeap, version())).isNotEqualTo(classData.archive(this.command, version()));
		assertThat(classData.archive(otherArguments, version())).isEqualTo(classData.archive(this.command, version()));
	}

	@Test
	void aJdkUpgradedInPlaceTrainsArchivesOfItsOwn() throws IOException {
		Path java = jdk("JAVA_VERSION=\"17.0.15\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\n");
		Path release = this.temp.resolve("jdk/release");
		List<String> command = List.of(java.toString(), "-Xmx256m", "-jar", "/snapshots/v1/app.jar");
		ClassDataSharing classData = new ClassDataSharing(17);
		Path trainedBefore = classData.archive(command, version());
		assertThat(classData.archive(command, version())).isEqualTo(trainedBefore);
		Files.writeString(release, "JAVA_VERSION=\"17.0.16\"\nJAVA_RUNTIME_VERSION=\"17.0.16+8-Debian-1deb12u1\"\n");
		assertThat(classData.archive(command, version())).isNotEqualTo(trainedBefore);
	}

	@Test
	void aJdksBuildIsReadWithoutTheQuotesOfItsReleaseFile() throws IOException {
		Path java = jdk("JAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\n");
		assertThat(ClassDataSharing.runtimeBuild(java.toString())).isEqualTo("17.0.15+6-Debian-1deb12u1");
	}

	@Test
	void aTrainingRunThatFailedIsNotRepeatedForEveryRollout() throws IOException {
		// A "java" that counts its runs and writes no archive
		Path java = this.temp.resolve("java");
		Path runs = this.temp.resolve("runs");
		Files.writeString(java, "#!/bin/sh\necho run >> " + runs + "\nexit 1\n");
		java.toFile().setExecutable(true);
		List<String> command = List.of(java.toString(), "-jar", "/snapshots/v1/app.jar");
		try (ClassDataSharing classData = new ClassDataSharing(17)) {
			classData.train(command, version(), Map.of("PATH", System.getenv("PATH")));
			await().atMost(Duration.ofSeconds(10)).until(() -> lines(runs) == 1);
			classData.train(command, version(), Map.of("PATH", System.getenv("PATH")));
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> lines(runs) == 1);
		}
	}

	/**
	 * A JDK's {@code bin/java} under the test's directory, with this {@code release}
	 * file, or none.
	 */
	private Path jdk(String release) throws IOException {
		Path java = Files.createDirectories(this.temp.resolve("jdk/bin")).resolve("java");
		Files.writeString(java, "");
		if (release != null) {
			Files.writeString(this.temp.resolve("jdk/release"), release);
		}
		return java;
	}

	private static long lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file).size() : 0;
	}

	@Test
	void aJdkWithoutAReleaseFileIsKnownByThePrimarysVersion() throws IOException {
		Path java = jdk(null);
		assertThat(ClassDataSharing.runtimeBuild(java.toString())).isEqualTo(System.getProperty("java.vm.version"));
		assertThat(ClassDataSharing.runtimeBuild(this.temp.resolve("missing/bin/java").toString()))
			.isEqualTo(System.getProperty("java.vm.version"));
	}

	@Test
	void aTrainingRunDoesNotOutliveTheStop() throws IOException {
		// A "java" that records its pid and then trains for a minute
		Path java = this.temp.resolve("java");
		Path pidFile = this.temp.resolve("training.pid");
		Files.writeString(java, "#!/bin/sh\necho $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile
				+ "\nexec sleep 60\n");
		java.toFile().setExecutable(true);
		List<String> command = List.of(java.toString(), "-jar", "/snapshots/v1/app.jar");
		ClassDataSharing classData = new ClassDataSharing(17);
		classData.train(command, version(), Map.of("PATH", System.getenv("PATH")));
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(pidFile));
		long pid = Long.parseLong(Files.readString(pidFile).strip());
		try {
			classData.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map((p) -> !p.isAlive()).orElse(true));
			assertThat(classData.archive(command, version())).doesNotExist();
		}
		finally {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private Snapshot version() {
		return new Snapshot("a".repeat(64), null, "digest", this.temp.resolve("aaaaaaaaaaaaaaaa"));
	}

}
