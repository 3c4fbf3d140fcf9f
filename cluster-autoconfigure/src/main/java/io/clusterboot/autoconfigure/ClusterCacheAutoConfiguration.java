package io.clusterboot.autoconfigure;

import io.clusterboot.messaging.ClusterMessenger;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.cache.CoherentCaches;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of coherent local caches in a worker: with
 * {@code cluster.cache.coherent=true}, the default, evictions and clears of local
 * caches reach every worker.
 */
@AutoConfiguration
@ConditionalOnBean(WorkerAgent.class)
@ConditionalOnProperty(name = "cluster.cache.coherent", havingValue = "true", matchIfMissing = true)
public final class ClusterCacheAutoConfiguration {

	@Bean
	static CoherentCaches clusterCoherentCaches(ObjectProvider<ClusterMessenger> messenger) {
		return new CoherentCaches(messenger);
	}

}
