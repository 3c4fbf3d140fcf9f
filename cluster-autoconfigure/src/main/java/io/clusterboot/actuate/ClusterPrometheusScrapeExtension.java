package io.clusterboot.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * {@code /actuator/prometheus} in a cluster worker: the meters of every worker in one
 * scrape, each series tagged with its worker, as Node's prom-client
 * {@code AggregatorRegistry} does for its cluster. Without it, a scrape of the shared
 * port would show one random worker. The cluster's own gauges, which every worker knows,
 * come from the answering worker only and carry no {@code worker} tag. The protobuf
 * format shows this worker only.
 */
@EndpointWebExtension(endpoint = PrometheusScrapeEndpoint.class)
public class ClusterPrometheusScrapeExtension {

	private static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(5);

	private final PrometheusScrapeEndpoint delegate;

	private final WorkerAgent agent;

	public ClusterPrometheusScrapeExtension(PrometheusScrapeEndpoint delegate, WorkerAgent agent) {
		this.delegate = delegate;
		this.agent = agent;
		agent.onMetricsRequest(
				(format, includedNames) -> localScrape(PrometheusOutputFormat.valueOf(format), includedNames));
	}

	@ReadOperation(producesFrom = PrometheusOutputFormat.class)
	public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		if (format == PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF) {
			return this.delegate.scrape(format, includedNames);
		}
		List<String> scrapes = new ArrayList<>();
		scrapes.add(localScrape(format, includedNames));
		scrapes.addAll(otherWorkers(format, includedNames));
		String merged = PrometheusTextMerger.merge(scrapes, ClusterMetrics.FAMILIES);
		return new WebEndpointResponse<>(merged.getBytes(StandardCharsets.UTF_8), format);
	}

	private List<String> otherWorkers(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		try {
			return this.agent.otherWorkersMetrics(format.name(), includedNames).get(PRIMARY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		catch (ExecutionException | TimeoutException ex) {
			// This worker's own meters are still worth returning
			return List.of();
		}
	}

	private String localScrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		return new String(this.delegate.scrape(format, includedNames).getBody(), StandardCharsets.UTF_8);
	}

}
