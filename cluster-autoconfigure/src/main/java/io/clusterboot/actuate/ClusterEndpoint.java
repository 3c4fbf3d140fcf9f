package io.clusterboot.actuate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.worker.WorkerAgent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/cluster}: every worker as the primary knows it, whichever worker
 * answers, and the operator's commands, forwarded to the primary. Over HTTP,
 * {@link ClusterEndpointWebExtension} gives each outcome its status code.
 * <p>
 * Read-only unless {@code management.endpoint.cluster.access=unrestricted}.
 */
@Endpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(5);

	private final WorkerAgent agent;

	/**
	 * Create the endpoint.
	 * @param agent this worker's agent, {@code null} when running as a single JVM
	 */
	public ClusterEndpoint(@Nullable WorkerAgent agent) {
		this.agent = agent;
	}

	/**
	 * The whole cluster.
	 * @return the cluster's status
	 * @throws PrimaryUnavailableException if the primary does not answer in time
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
	 * One worker: the newest process with the id.
	 * @param id a worker id
	 * @return that worker, or {@code null} if there is none
	 * @throws PrimaryUnavailableException if the primary does not answer in time
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
	 * An operator's command: {@code reload}; {@code scale} with {@code instances} in the
	 * syntax of {@code cluster.instances}; {@code restart} with a worker {@code id}.
	 * @param action the command
	 * @param instances the new worker count, for {@code scale}
	 * @param id the worker, for {@code restart}
	 * @return whether the primary accepted it, and what it does or what was wrong
	 * @throws PrimaryUnavailableException if the primary does not answer in time
	 */
	@WriteOperation
	public CommandOutcome command(@Selector String action, @Nullable String instances, @Nullable Integer id) {
		if (this.agent == null) {
			return CommandOutcome.refused("Not running as a cluster");
		}
		if (action.equals("scale") && instances == null) {
			return CommandOutcome.refused("scale needs 'instances', such as {\"instances\":\"3\"}");
		}
		if (action.equals("restart") && id == null) {
			return CommandOutcome.refused("restart needs 'id', such as {\"id\":1}");
		}
		CommandReply reply = askPrimary(this.agent.command(action, instances, id));
		return reply.accepted() ? new CommandOutcome(reply.message(), null) : CommandOutcome.refused(reply.message());
	}

	/**
	 * The status the primary gave last.
	 * @return the status, {@code null} before the first answer or in a single JVM
	 */
	@Nullable ClusterStatus lastKnownStatus() {
		return (this.agent != null) ? this.agent.lastStatus() : null;
	}

	private static <T> T askPrimary(CompletableFuture<T> request) {
		try {
			return request.get(PRIMARY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PrimaryUnavailableException("Interrupted while asking the cluster primary", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new PrimaryUnavailableException(
					"The cluster primary did not answer within " + PRIMARY_TIMEOUT.toSeconds() + " s", ex);
		}
	}

	/**
	 * What the primary made of a command.
	 *
	 * @param accepted what it carries out, if it accepted the command
	 * @param error what was wrong, if it refused it
	 */
	public record CommandOutcome(@Nullable String accepted, @Nullable String error) {

		static CommandOutcome refused(String error) {
			return new CommandOutcome(null, error);
		}

	}

	/**
	 * The primary did not answer in time: it is busy, frozen or gone.
	 */
	public static class PrimaryUnavailableException extends RuntimeException {

		PrimaryUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
