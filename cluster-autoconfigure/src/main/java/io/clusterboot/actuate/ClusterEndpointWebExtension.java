package io.clusterboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.clusterboot.actuate.ClusterEndpoint.CommandOutcome;
import io.clusterboot.actuate.ClusterEndpoint.PrimaryUnavailableException;
import io.clusterboot.protocol.ClusterStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code /actuator/cluster} over HTTP: 400 for a refused command, 404 for an unknown
 * worker id, and 503 when the primary does not answer in time, with the last status it
 * gave under {@code lastKnown}, so that a monitor alerts and a person still sees the
 * cluster.
 */
@EndpointWebExtension(endpoint = ClusterEndpoint.class)
public class ClusterEndpointWebExtension {

	private final ClusterEndpoint delegate;

	public ClusterEndpointWebExtension(ClusterEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * {@code GET /actuator/cluster}.
	 * @return 200 with the cluster's status, or 503
	 */
	@ReadOperation
	public WebEndpointResponse<Object> cluster() {
		try {
			return new WebEndpointResponse<>(this.delegate.cluster());
		}
		catch (PrimaryUnavailableException ex) {
			return unavailable(ex);
		}
	}

	/**
	 * {@code GET /actuator/cluster/{id}}.
	 * @param id a worker id
	 * @return 200 with the worker, 404 if there is none, or 503
	 */
	@ReadOperation
	public WebEndpointResponse<Object> worker(@Selector int id) {
		try {
			ClusterStatus.Worker worker = this.delegate.worker(id);
			return (worker != null) ? new WebEndpointResponse<>(worker)
					: new WebEndpointResponse<>(Map.of("error", "No worker with id " + id),
							WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (PrimaryUnavailableException ex) {
			return unavailable(ex);
		}
	}

	/**
	 * {@code POST /actuator/cluster/{action}}: {@code reload}; {@code scale} with
	 * {@code {"instances":"3"}}; {@code restart} with {@code {"id":1}}.
	 * @param action the command
	 * @param instances the new worker count, for {@code scale}
	 * @param id the worker, for {@code restart}
	 * @return 200 with what the primary accepted, 400 with what was wrong, or 503
	 */
	@WriteOperation
	public WebEndpointResponse<Object> command(@Selector String action, @Nullable String instances,
			@Nullable Integer id) {
		try {
			CommandOutcome outcome = this.delegate.command(action, instances, id);
			return (outcome.error() == null) ? new WebEndpointResponse<>(Map.of("accepted", outcome.accepted()))
					: new WebEndpointResponse<>(Map.of("error", outcome.error()),
							WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (PrimaryUnavailableException ex) {
			return unavailable(ex);
		}
	}

	private WebEndpointResponse<Object> unavailable(PrimaryUnavailableException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", ex.getMessage());
		ClusterStatus lastKnown = this.delegate.lastKnownStatus();
		if (lastKnown != null) {
			body.put("lastKnown", lastKnown);
		}
		return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
	}

}
