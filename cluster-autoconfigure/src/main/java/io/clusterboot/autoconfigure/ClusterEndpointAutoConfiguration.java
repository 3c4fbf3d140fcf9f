package io.clusterboot.autoconfigure;

import io.clusterboot.actuate.ClusterEndpoint;
import io.clusterboot.actuate.ClusterEndpointWebExtension;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code /actuator/cluster}.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
public final class ClusterEndpointAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
	ClusterEndpoint clusterEndpoint(ObjectProvider<WorkerAgent> agent) {
		return new ClusterEndpoint(agent.getIfAvailable());
	}

	@Bean
	@ConditionalOnBean(ClusterEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	ClusterEndpointWebExtension clusterEndpointWebExtension(ClusterEndpoint endpoint) {
		return new ClusterEndpointWebExtension(endpoint);
	}

}
