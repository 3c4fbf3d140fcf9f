package io.clusterboot.worker;

import java.nio.file.Path;

import io.clusterboot.protocol.WorkerContract;
import io.clusterboot.ClusterProperties.Listen;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerEnvironmentPostProcessorTests {

	private static final WorkerContract WORKER = new WorkerContract(2, 2, 3, 3, Listen.SHARED, 8080,
			Path.of("/run/control.sock"), "token");

	@Test
	void givesTheWorkerItsIdentity() {
		MockEnvironment environment = postProcess(new MockEnvironment());
		assertThat(environment.getProperty("cluster.worker.id")).isEqualTo("2");
		assertThat(environment.getProperty("cluster.worker.generation")).isEqualTo("3");
		assertThat(environment.getProperty("logging.pattern.level")).isEqualTo("%5p [worker-2]");
		assertThat(environment.getProperty("logging.file.name")).isNull();
	}

	@Test
	void eachWorkerWritesItsOwnLogFileNamedByItsSlot() {
		assertThat(logFile(new MockEnvironment().withProperty("logging.file.name", "/var/log/app.log")))
			.isEqualTo("/var/log/app-3.log");
		assertThat(logFile(new MockEnvironment().withProperty("logging.file.name", "logs/app")))
			.isEqualTo("logs/app-3");
		assertThat(logFile(new MockEnvironment().withProperty("logging.file.name", "logs.d/app")))
			.isEqualTo("logs.d/app-3");
		assertThat(logFile(new MockEnvironment().withProperty("logging.file.path", "/var/log/app")))
			.isEqualTo("/var/log/app/spring-3.log");
		assertThat(logFile(new MockEnvironment().withProperty("logging.file.path", "/var/log")
			.withProperty("logging.file.name", "app.log"))).isEqualTo("app-3.log");
	}

	private static String logFile(MockEnvironment environment) {
		return postProcess(environment).getProperty("logging.file.name");
	}

	private static MockEnvironment postProcess(MockEnvironment environment) {
		new WorkerEnvironmentPostProcessor().postProcessEnvironment(environment, WORKER);
		return environment;
	}

}
