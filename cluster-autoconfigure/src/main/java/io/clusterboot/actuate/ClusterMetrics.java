package io.clusterboot.actuate;

import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.WorkerState;
import io.clusterboot.worker.WorkerAgent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Cluster gauges, from the status the primary last reported: workers by state,
 * restarts, and rolling replacements. They describe the whole cluster, so they carry no
 * {@code worker} tag, and one scrape reports them once.
 */
public class ClusterMetrics implements MeterBinder {

	private static final Set<String> METERS = Set.of("cluster.workers", "cluster.workers.desired",
			"cluster.restarts", "cluster.reloads");

	/**
	 * The Prometheus families of these gauges.
	 */
	static final Set<String> FAMILIES = METERS.stream()
		.map((name) -> name.replace('.', '_'))
		.collect(Collectors.toUnmodifiableSet());

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

	/**
	 * A {@code worker} tag on every meter of this worker but the cluster's own gauges.
	 * @param workerId this worker's id
	 * @return the filter
	 */
	public static MeterFilter workerTag(int workerId) {
		Tag worker = Tag.of("worker", Integer.toString(workerId));
		return new MeterFilter() {

			@Override
			public Meter.Id map(Meter.Id id) {
				return METERS.contains(id.getName()) ? id : id.withTag(worker);
			}

		};
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
