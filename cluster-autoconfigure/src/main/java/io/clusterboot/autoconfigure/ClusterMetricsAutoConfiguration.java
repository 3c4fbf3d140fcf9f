package io.clusterboot.autoconfigure;

import io.clusterboot.actuate.ClusterMetrics;
import io.clusterboot.worker.WorkerAgent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of metrics in cluster workers: a {@code worker} tag on every meter,
 * so that series from different workers stay apart, and the cluster gauges.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class,
		beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(WorkerAgent.class)
public final class ClusterMetricsAutoConfiguration {

	@Bean
	MeterFilter clusterWorkerTag(WorkerAgent agent) {
		return ClusterMetrics.workerTag(agent.getWorkerId());
	}

	@Bean
	ClusterMetrics clusterMetrics(WorkerAgent agent) {
		return new ClusterMetrics(agent);
	}

}
