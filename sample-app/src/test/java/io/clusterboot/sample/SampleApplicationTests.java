package io.clusterboot.sample;

import java.util.Map;

import io.clusterboot.actuate.ClusterEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} of an application configured with
 * {@code cluster.instances: max} runs as a single JVM: tests never fork workers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@Autowired
	private ClusterEndpoint clusterEndpoint;

	@Autowired
	private SampleController controller;

	@Test
	void runsAsASingleJvm() {
		assertThat(this.clusterEndpoint.cluster().mode()).isEqualTo("single");
		assertThat(ProcessHandle.current().children()).isEmpty();
	}

	@Test
	void servesAsWorkerZero() {
		Map<String, Object> hello = this.controller.hello();
		assertThat(hello).containsEntry("worker", 0).containsEntry("pid", ProcessHandle.current().pid());
	}

}
