package io.clusterboot.autoconfigure;

import io.clusterboot.actuate.ClusterHealthIndicator;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code cluster} health contributor in cluster workers.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(WorkerAgent.class)
@ConditionalOnEnabledHealthIndicator("cluster")
public final class ClusterHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "clusterHealthIndicator")
	ClusterHealthIndicator clusterHealthIndicator(WorkerAgent agent) {
		return new ClusterHealthIndicator(agent);
	}

}
