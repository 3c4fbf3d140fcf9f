package io.clusterboot.actuate;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.WorkerState;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code cluster} health contributor: UP while every desired worker is READY, and
 * while a reload replaces them; DOWN when none is READY; UP with the details otherwise,
 * since the port is still served.
 */
public class ClusterHealthIndicator implements HealthIndicator {

	private final WorkerAgent agent;

	public ClusterHealthIndicator(WorkerAgent agent) {
		this.agent = agent;
	}

	@Override
	public Health health() {
		ClusterStatus status = this.agent.lastStatus();
		if (status == null) {
			return Health.unknown().withDetail("reason", "No status from the primary yet").build();
		}
		long ready = status.workers().stream().filter((worker) -> worker.state() == WorkerState.READY).count();
		Health.Builder health = (ready == 0) ? Health.down() : Health.up();
		health.withDetail("desired", status.desired()).withDetail("ready", ready);
		if (status.reload() != null && status.reload().state().equals("running")) {
			health.withDetail("reload", status.reload());
		}
		return health.build();
	}

}
