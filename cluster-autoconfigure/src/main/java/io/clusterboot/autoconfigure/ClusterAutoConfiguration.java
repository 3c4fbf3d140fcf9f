package io.clusterboot.autoconfigure;

import java.io.IOException;

import io.clusterboot.ClusterProperties;
import io.clusterboot.socket.WorkerTomcatCustomizer;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a cluster worker: the link to the primary and the web server on
 * the shared port. A worker is a JVM that a primary launched and gave a
 * {@code cluster.worker.id}.
 */
@AutoConfiguration
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("cluster.worker.id")
	static class WorkerConfiguration {

		@Bean
		WorkerAgent clusterWorkerAgent(Environment environment, ClusterProperties properties) throws IOException {
			return new WorkerAgent(environment.getRequiredProperty("cluster.worker.id", Integer.class),
					properties.getHeartbeatInterval());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatWebServerFactory")
		static class TomcatConfiguration {

			@Bean
			WorkerTomcatCustomizer clusterWorkerTomcatCustomizer() {
				return new WorkerTomcatCustomizer();
			}

		}

	}

}
