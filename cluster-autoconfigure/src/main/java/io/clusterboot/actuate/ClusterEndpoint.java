package io.clusterboot.actuate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.ClusterStatus;
import io.clusterboot.control.ControlMessage.CommandReply;
import io.clusterboot.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/cluster}: every worker as the primary knows it, whichever worker
 * answers, and the operator's commands, forwarded to the primary.
 * <p>
 * Read-only unless {@code management.endpoint.cluster.access=unrestricted}.
 */
@Endpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	private static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(5);

	private final WorkerAgent agent;

	/**
	 * Create the endpoint.
	 * @param agent this worker's agent, {@code null} when running as a single JVM
	 */
	public ClusterEndpoint(@Nullable WorkerAgent agent) {
		this.agent = agent;
	}

	/**
	 * {@code GET /actuator/cluster}.
	 * @return the whole cluster
	 */
	@ReadOperation
	public ClusterStatus cluster() {
		if (this.agent == null) {
			return ClusterStatus.single(ProcessHandle.current().pid(),
					Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
		}
		return askPrimary(this.agent.clusterStatus());
	}

	/**
	 * {@code GET /actuator/cluster/{id}}.
	 * @param id a worker id
	 * @return that worker, or {@code null} (404) if there is none
	 */
	@ReadOperation
	public ClusterStatus.@Nullable Worker worker(@Selector int id) {
		return cluster().workers()
			.stream()
			.filter((worker) -> worker.id() == id)
			.reduce((older, newer) -> newer)
			.orElse(null);
	}

	/**
	 * {@code POST /actuator/cluster/{action}}: {@code reload}; {@code scale} with
	 * {@code {"instances":"3"}} in the syntax of {@code cluster.instances};
	 * {@code restart} with {@code {"id":1}}.
	 * @param action the command
	 * @param instances the new worker count, for {@code scale}
	 * @param id the worker, for {@code restart}
	 * @return 200 with what the primary accepted, or 400 with what was wrong
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, String>> command(@Selector String action, @Nullable String instances,
			@Nullable Integer id) {
		if (this.agent == null) {
			return rejected("Not running as a cluster");
		}
		if (action.equals("scale") && instances == null) {
			return rejected("scale needs 'instances', such as {\"instances\":\"3\"}");
		}
		if (action.equals("restart") && id == null) {
			return rejected("restart needs 'id', such as {\"id\":1}");
		}
		CommandReply reply = askPrimary(this.agent.command(action, instances, id));
		return reply.accepted() ? new WebEndpointResponse<>(Map.of("accepted", reply.message()))
				: rejected(reply.message());
	}

	private static WebEndpointResponse<Map<String, String>> rejected(String reason) {
		return new WebEndpointResponse<>(Map.of("error", reason), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static <T> T askPrimary(CompletableFuture<T> request) {
		try {
			return request.get(PRIMARY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
