package io.clusterboot.autoconfigure;

import java.time.Duration;
import java.util.function.Consumer;

import io.clusterboot.ClusterLauncher;
import io.clusterboot.worker.FakePrimary;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.WorkerDrain;
import io.clusterboot.worker.websocket.ClusterWebSocketConfigurer;
import io.clusterboot.worker.websocket.SimpleBrokerBridge;
import io.clusterboot.worker.websocket.TrackedWebSocketSessions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterWebSocketAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ClusterAutoConfiguration.class, ClusterWebSocketAutoConfiguration.class));

	@Test
	void singleJvmKeepsItsWebSocketsAsTheyAre() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TrackedWebSocketSessions.class)
			.doesNotHaveBean(SimpleBrokerBridge.class)
			.doesNotHaveBean(ClusterWebSocketConfigurer.class));
	}

	@Test
	void workerTracksSessionsForItsDrainAndRelaysBrokerMessages() throws Exception {
		inWorker(this.contextRunner, (context) -> assertThat(context).hasSingleBean(TrackedWebSocketSessions.class)
			.hasSingleBean(SimpleBrokerBridge.class)
			.hasSingleBean(ClusterWebSocketConfigurer.class)
			.hasSingleBean(WorkerDrain.class));
	}

	@Test
	void relayCanBeTurnedOff() throws Exception {
		inWorker(this.contextRunner.withPropertyValues("cluster.stomp.relay=false"),
				(context) -> assertThat(context).hasSingleBean(TrackedWebSocketSessions.class)
					.hasSingleBean(ClusterWebSocketConfigurer.class)
					.doesNotHaveBean(SimpleBrokerBridge.class));
	}

	private static void inWorker(ApplicationContextRunner runner, Consumer<AssertableApplicationContext> assertions)
			throws Exception {
		try (FakePrimary primary = new FakePrimary()) {
			WorkerAgent agent = WorkerAgent.start(primary.contract(), Duration.ofSeconds(1));
			try {
				runner
					.withInitializer((context) -> context.getBeanFactory()
						.registerSingleton(ClusterLauncher.WORKER_AGENT_BEAN, agent))
					.run(assertions::accept);
			}
			finally {
				agent.close();
			}
		}
	}

}
