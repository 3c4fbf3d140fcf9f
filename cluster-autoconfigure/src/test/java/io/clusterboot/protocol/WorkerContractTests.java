package io.clusterboot.protocol;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.clusterboot.ClusterProperties.Listen;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerContractTests {

	private final WorkerContract contract = new WorkerContract(2, 4, 3, 5, Listen.REUSEPORT, 8080,
			Path.of("/tmp/cluster-1/control.sock"), "secret");

	@Test
	void whatThePrimaryWritesAWorkerReads() {
		Map<String, String> environment = new HashMap<>();
		this.contract.writeTo(environment);
		assertThat(WorkerContract.read(environment)).contains(this.contract);
	}

	@Test
	void variablesStayOutOfTheClusterPropertyNamespace() {
		Map<String, String> environment = new HashMap<>();
		this.contract.writeTo(environment);
		// Relaxed binding reads CLUSTER_* variables as cluster.* properties
		assertThat(environment.keySet()).allMatch((name) -> name.startsWith("CLUSTERBOOT_"));
	}

	@Test
	void anEnvironmentWithoutAContractIsNoWorker() {
		assertThat(WorkerContract.read(Map.of("PATH", "/usr/bin"))).isEmpty();
		assertThat(WorkerContract.isWorker()).isFalse();
	}

	@Test
	void anIncompleteContractIsAClearError() {
		Map<String, String> environment = new HashMap<>();
		this.contract.writeTo(environment);
		environment.remove(WorkerContract.CONTROL_TOKEN);
		assertThatIllegalStateException().isThrownBy(() -> WorkerContract.read(environment))
			.withMessageContaining("CLUSTERBOOT_CONTROL_TOKEN is not set");
	}

	@Test
	void doesNotPrintItsToken() {
		assertThat(this.contract.toString()).doesNotContain("secret");
	}

}
