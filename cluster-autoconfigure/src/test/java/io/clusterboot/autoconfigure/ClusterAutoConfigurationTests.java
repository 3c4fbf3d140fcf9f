package io.clusterboot.autoconfigure;

import java.time.Duration;

import io.clusterboot.ClusterLauncher;
import io.clusterboot.actuate.ClusterEndpoint;
import io.clusterboot.actuate.ClusterEndpointWebExtension;
import io.clusterboot.actuate.ClusterHealthIndicator;
import io.clusterboot.actuate.ClusterMetrics;
import io.clusterboot.messaging.ClusterMessageEvent;
import io.clusterboot.messaging.ClusterMessenger;
import io.clusterboot.worker.ConditionalOnLeadWorker;
import io.clusterboot.worker.FakePrimary;
import io.clusterboot.worker.RequestTracker;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.WorkerDrain;
import io.clusterboot.worker.WorkerWarmUp;
import io.clusterboot.worker.tomcat.WarmUpConnector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class,
				ClusterEndpointAutoConfiguration.class, ClusterHealthContributorAutoConfiguration.class,
				ClusterMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
				MetricsAutoConfiguration.class));

	@Test
	void singleJvmHasTheEndpointAndMessengerButNoWorkerBeans() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cluster").run((context) -> {
			assertThat(context).hasSingleBean(ClusterEndpoint.class).hasSingleBean(ClusterMessenger.class);
			assertThat(context).doesNotHaveBean(WorkerAgent.class).doesNotHaveBean(WorkerDrain.class);
			assertThat(context.getBean(ClusterEndpoint.class).cluster().mode()).isEqualTo("single");
		});
	}

	@Test
	void workerHasItsDrainAndRequestCountsAndTheEndpointItsWebExtension() throws Exception {
		runAsWorker(this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cluster"),
				(context) -> assertThat(context).hasSingleBean(WorkerDrain.class)
					.hasSingleBean(RequestTracker.class)
					.hasSingleBean(ClusterEndpointWebExtension.class)
					.hasSingleBean(ClusterHealthIndicator.class)
					.hasSingleBean(ClusterMetrics.class)
					.doesNotHaveBean(WorkerWarmUp.class)
					.doesNotHaveBean(WarmUpConnector.class));
	}

	@Test
	void workerWarmsUpOnAPrivateConnectorWhenRequestsAreListed() throws Exception {
		runAsWorker(this.contextRunner.withPropertyValues("cluster.warm-up.requests[0]=/hello"),
				(context) -> assertThat(context).hasSingleBean(WorkerWarmUp.class)
					.hasSingleBean(WarmUpConnector.class));
	}

	/**
	 * Run a context as a worker's: with the agent that the launcher hands it, connected
	 * to a fake primary.
	 */
	private static void runAsWorker(ApplicationContextRunner runner,
			ContextConsumer<AssertableApplicationContext> assertions) throws Exception {
		try (FakePrimary primary = new FakePrimary()) {
			WorkerAgent agent = WorkerAgent.start(primary.contract(), Duration.ofSeconds(1));
			try {
				runner
					.withInitializer((context) -> context.getBeanFactory()
						.registerSingleton(ClusterLauncher.WORKER_AGENT_BEAN, agent))
					.run(assertions);
			}
			finally {
				agent.close();
			}
		}
	}

	@Test
	void aSingleJvmDoesNotWarmUp() {
		this.contextRunner.withPropertyValues("cluster.warm-up.requests=/hello")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerWarmUp.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ClusterEndpoint.class));
	}

	@Test
	void singleJvmMessengerDeliversToItselfOnlyWhenAsked() {
		this.contextRunner.withUserConfiguration(Received.class).run((context) -> {
			ClusterMessenger messenger = context.getBean(ClusterMessenger.class);
			messenger.broadcast("cache-evict", new Key("prices"));
			messenger.broadcast("cache-evict", new Key("rates"), true);
			Received received = context.getBean(Received.class);
			assertThat(received.keys).containsExactly("rates");
		});
	}

	@Test
	void leadWorkerConditionMatchesWorkerOneAndSingleJvms() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(LeadOnly.class);
		runner.run((context) -> assertThat(context).hasBean("job"));
		runner.withPropertyValues("cluster.worker.id=1").run((context) -> assertThat(context).hasBean("job"));
		runner.withPropertyValues("cluster.worker.id=2").run((context) -> assertThat(context).doesNotHaveBean("job"));
	}

	record Key(String key) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Received implements ApplicationListener<ClusterMessageEvent> {

		private final java.util.List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ClusterMessageEvent event) {
			this.keys.add(event.getPayload(Key.class).key());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LeadOnly {

		@Bean
		@ConditionalOnLeadWorker
		String job() {
			return "job";
		}

	}

}
