package io.clusterboot.autoconfigure;

import io.clusterboot.actuate.ClusterPrometheusScrapeExtension;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the cluster-wide Prometheus scrape in workers, when
 * {@code micrometer-registry-prometheus} is present.
 */
@AutoConfiguration(after = { ClusterAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class })
@ConditionalOnClass(PrometheusScrapeEndpoint.class)
@ConditionalOnBean({ PrometheusScrapeEndpoint.class, WorkerAgent.class })
public final class ClusterPrometheusAutoConfiguration {

	@Bean
	ClusterPrometheusScrapeExtension clusterPrometheusScrapeExtension(PrometheusScrapeEndpoint endpoint,
			WorkerAgent agent) {
		return new ClusterPrometheusScrapeExtension(endpoint, agent);
	}

}
