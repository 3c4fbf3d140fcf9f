package io.clusterboot.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;

/**
 * A message on the control channel between the primary and a worker, sent as one line
 * of JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
		@JsonSubTypes.Type(value = ControlMessage.StateChanged.class, name = "state"),
		@JsonSubTypes.Type(value = ControlMessage.Heartbeat.class, name = "heartbeat"),
		@JsonSubTypes.Type(value = ControlMessage.StatusRequest.class, name = "status-request"),
		@JsonSubTypes.Type(value = ControlMessage.StatusReply.class, name = "status") })
public sealed interface ControlMessage {

	/**
	 * A worker's first message, proving it was launched by this primary.
	 *
	 * @param token the secret from the worker's environment
	 * @param workerId the worker's id
	 * @param pid the worker's process id
	 */
	record Hello(String token, int workerId, long pid) implements ControlMessage {

		@Override
		public String toString() {
			return "Hello[workerId=" + this.workerId + ", pid=" + this.pid + "]";
		}

	}

	/**
	 * A worker's new state.
	 *
	 * @param state the state it entered
	 */
	record StateChanged(WorkerState state) implements ControlMessage {
	}

	/**
	 * A worker's periodic sign of life, sent only while it is healthy.
	 *
	 * @param heapUsedBytes heap in use
	 * @param requests requests served so far
	 * @param inFlight requests being served now
	 */
	record Heartbeat(long heapUsedBytes, long requests, int inFlight) implements ControlMessage {
	}

	/**
	 * A worker asking for the cluster's status.
	 *
	 * @param requestId the id the reply carries
	 */
	record StatusRequest(long requestId) implements ControlMessage {
	}

	/**
	 * The primary's answer to a {@link StatusRequest}.
	 *
	 * @param requestId the request's id
	 * @param status the cluster's status
	 */
	record StatusReply(long requestId, ClusterStatus status) implements ControlMessage {
	}

}
