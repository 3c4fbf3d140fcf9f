package io.clusterboot.actuate;

import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;
import io.clusterboot.worker.WorkerAgent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Cluster gauges, from the status the primary last reported: workers by state,
 * restarts, and rolling replacements.
 */
public class ClusterMetrics implements MeterBinder {

	private final WorkerAgent agent;

	public ClusterMetrics(WorkerAgent agent) {
		this.agent = agent;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WorkerState state : WorkerState.values()) {
			gauge("cluster.workers", "Workers in each state", (status) -> status.workers()
				.stream()
				.filter((worker) -> worker.state() == state)
				.count()).tag("state", state.name()).register(registry);
		}
		gauge("cluster.workers.desired", "Workers the cluster should run", ClusterStatus::desired)
			.register(registry);
		gauge("cluster.restarts", "Unexpected worker exits that were restarted", ClusterMetrics::restarts)
			.register(registry);
		gauge("cluster.reloads", "Rolling reloads started", ClusterStatus::reloads).register(registry);
	}

	private static double restarts(ClusterStatus status) {
		// During a reload, two processes share an id and its restart count
		return status.workers()
			.stream()
			.collect(Collectors.toMap(ClusterStatus.Worker::id, ClusterStatus.Worker::restarts, Math::max))
			.values()
			.stream()
			.mapToInt(Integer::intValue)
			.sum();
	}

	private Gauge.Builder<WorkerAgent> gauge(String name, String description,
			ToDoubleFunction<ClusterStatus> value) {
		return Gauge.builder(name, this.agent, (agent) -> {
			ClusterStatus status = agent.lastStatus();
			return (status != null) ? value.applyAsDouble(status) : Double.NaN;
		}).description(description);
	}

}
