package io.clusterboot.autoconfigure;

import java.io.IOException;

import io.clusterboot.ClusterProperties;
import io.clusterboot.messaging.ClusterMessenger;
import io.clusterboot.socket.WorkerTomcatCustomizer;
import io.clusterboot.worker.DrainableServer;
import io.clusterboot.worker.RequestTracker;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.WorkerDrain;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of cluster mode in the application: a worker's link to the
 * primary, its web server on the shared port, and its drain; and the messenger, which
 * also works in a single JVM. A worker is a JVM that a primary launched and gave a
 * {@code cluster.worker.id}.
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
	@ConditionalOnProperty("cluster.worker.id")
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatWebServerFactory")
	static class WorkerConfiguration {

		@Bean
		RequestTracker clusterRequestTracker() {
			return new RequestTracker();
		}

		@Bean
		FilterRegistrationBean<RequestTracker> clusterRequestTrackerRegistration(RequestTracker tracker) {
			FilterRegistrationBean<RequestTracker> registration = new FilterRegistrationBean<>(tracker);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		WorkerAgent clusterWorkerAgent(Environment environment, ClusterProperties properties, RequestTracker tracker)
				throws IOException {
			return new WorkerAgent(environment.getRequiredProperty("cluster.worker.id", Integer.class),
					properties.getHeartbeatInterval(), tracker);
		}

		@Bean
		WorkerTomcatCustomizer clusterWorkerTomcatCustomizer() {
			return new WorkerTomcatCustomizer();
		}

		@Bean
		WorkerDrain clusterWorkerDrain(DrainableServer server, RequestTracker tracker, ClusterProperties properties) {
			return new WorkerDrain(server, tracker, properties.getDrainTimeout());
		}

	}

}
