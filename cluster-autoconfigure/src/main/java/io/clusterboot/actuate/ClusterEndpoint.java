package io.clusterboot.actuate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.ClusterStatus;
import io.clusterboot.worker.WorkerAgent;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/cluster}: every worker as the primary knows it, whichever worker
 * answers.
 */
@Endpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	private static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(5);

	private final WorkerAgent agent;

	/**
	 * Create the endpoint.
	 * @param agent this worker's agent, {@code null} when running as a single JVM
	 */
	public ClusterEndpoint(WorkerAgent agent) {
		this.agent = agent;
	}

	@ReadOperation
	public ClusterStatus cluster() {
		if (this.agent == null) {
			return ClusterStatus.single(ProcessHandle.current().pid(),
					Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
		}
		try {
			return this.agent.clusterStatus().get(PRIMARY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking the cluster primary", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The cluster primary did not answer", ex);
		}
	}

}
