package io.clusterboot.autoconfigure;

import io.clusterboot.ClusterProperties;
import io.clusterboot.messaging.ClusterMessenger;
import io.clusterboot.worker.DrainableServer;
import io.clusterboot.worker.RequestTracker;
import io.clusterboot.worker.WebSocketSessions;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.WorkerDrain;
import io.clusterboot.worker.WorkerWarmUp;
import io.clusterboot.worker.tomcat.WarmUpConnector;
import io.clusterboot.worker.tomcat.WorkerTomcatCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.OnPropertyListCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Auto-configuration of cluster mode in the application: a worker's web server on the
 * shared port, its request counts and its drain; and the messenger, which also works in
 * a single JVM. A worker is a JVM that a primary launched: its {@link WorkerAgent},
 * connected to the primary before the context existed, is already a bean.
 */
@AutoConfiguration
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterMessenger clusterMessenger(ObjectProvider<WorkerAgent> agent, ApplicationEventPublisher events) {
		return new ClusterMessenger(agent.getIfAvailable(), events);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(WorkerAgent.class)
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatWebServerFactory")
	static class WorkerConfiguration {

		@Bean
		RequestTracker clusterRequestTracker(WorkerAgent agent) {
			RequestTracker tracker = new RequestTracker();
			agent.reportRequestsFrom(tracker);
			return tracker;
		}

		@Bean
		FilterRegistrationBean<RequestTracker> clusterRequestTrackerRegistration(RequestTracker tracker) {
			FilterRegistrationBean<RequestTracker> registration = new FilterRegistrationBean<>(tracker);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		WorkerTomcatCustomizer clusterWorkerTomcatCustomizer(ClusterProperties properties) {
			return new WorkerTomcatCustomizer(properties.getRequestNiceness());
		}

		@Bean
		WorkerDrain clusterWorkerDrain(DrainableServer server, RequestTracker tracker, ClusterProperties properties,
				WorkerAgent agent, ObjectProvider<WebSocketSessions> webSockets) {
			return new WorkerDrain(server, tracker, properties.getDrainTimeout(), agent::draining,
					webSockets.getIfAvailable());
		}

		@Configuration(proxyBeanMethods = false)
		@Conditional(OnWarmUpRequestsCondition.class)
		static class WarmUpConfiguration {

			@Bean
			WarmUpConnector clusterWarmUpConnector() {
				return new WarmUpConnector();
			}

			@Bean
			WorkerWarmUp clusterWorkerWarmUp(ClusterProperties properties, WarmUpConnector connector,
					RequestTracker tracker) {
				return new WorkerWarmUp(properties.getWarmUp().getRequests(), properties.getWarmUp().getDuration(),
						connector, tracker);
			}

		}

	}

	static class OnWarmUpRequestsCondition extends OnPropertyListCondition {

		OnWarmUpRequestsCondition() {
			super("cluster.warm-up.requests", () -> ConditionMessage.forCondition("Cluster warm-up requests"));
		}

	}

}
