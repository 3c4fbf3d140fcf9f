package io.clusterboot.autoconfigure;

import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.scheduling.LeadOnlyScheduling;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of scheduling in a worker: with {@code cluster.scheduling=lead},
 * the default, Spring's scheduled tasks run only in the lead worker.
 */
@AutoConfiguration
@ConditionalOnBean(WorkerAgent.class)
@ConditionalOnProperty(name = "cluster.scheduling", havingValue = "lead", matchIfMissing = true)
public final class ClusterSchedulingAutoConfiguration {

	@Bean
	LeadOnlyScheduling clusterLeadOnlyScheduling(WorkerAgent agent) {
		return new LeadOnlyScheduling(agent::isLead);
	}

}
