package io.clusterboot.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code cluster.cpu-affinity}: each worker runs on one CPU, every thread of its JVM.
 */
class CpuAffinityIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@Test
	void workerIRunsOnTheIthCpuTheWholeProcess() throws IOException {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2", "--cluster.cpu-affinity=true");
		JsonNode status = cluster.awaitReady(2);
		int cpus = Runtime.getRuntime().availableProcessors();
		// On one CPU every thread runs on CPU 0 anyway
		assumeTrue(cpus >= 2, "needs two CPUs");
		for (int id = 1; id <= 2; id++) {
			JsonNode worker = worker(status, id).orElseThrow();
			int cpu = (id - 1) % cpus;
			assertThat(worker.get("pinnedCpu").asInt()).isEqualTo(cpu);
			Path tasks = Path.of("/proc", worker.get("pid").asString(), "task");
			try (Stream<Path> threads = Files.list(tasks)) {
				assertThat(threads.map(CpuAffinityIT::allowedCpus).filter(Objects::nonNull)).as("its threads' CPUs")
					.isNotEmpty()
					.containsOnly(Integer.toString(cpu));
			}
		}
		assertThat(allowedCpus(Path.of("/proc", Long.toString(cluster.primary().pid())))).as("the primary's")
			.isEqualTo(allowedCpus(Path.of("/proc/self")));
	}

	private static String allowedCpus(Path process) {
		try {
			return Files.readAllLines(process.resolve("status"))
				.stream()
				.filter((line) -> line.startsWith("Cpus_allowed_list:"))
				.map((line) -> line.substring("Cpus_allowed_list:".length()).trim())
				.findFirst()
				.orElseThrow();
		}
		catch (IOException ex) {
			// A thread that ended meanwhile
			return null;
		}
	}

}
