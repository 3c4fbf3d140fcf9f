package io.clusterboot.protocol;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.WorkerState;
import tools.jackson.databind.JsonNode;

/**
 * A message on the control channel between the primary and a worker, sent as one line
 * of JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
		@JsonSubTypes.Type(value = ControlMessage.StateChanged.class, name = "state"),
		@JsonSubTypes.Type(value = ControlMessage.Heartbeat.class, name = "heartbeat"),
		@JsonSubTypes.Type(value = ControlMessage.StatusRequest.class, name = "status-request"),
		@JsonSubTypes.Type(value = ControlMessage.StatusReply.class, name = "status"),
		@JsonSubTypes.Type(value = ControlMessage.Command.class, name = "command"),
		@JsonSubTypes.Type(value = ControlMessage.CommandReply.class, name = "command-reply"),
		@JsonSubTypes.Type(value = ControlMessage.Broadcast.class, name = "broadcast"),
		@JsonSubTypes.Type(value = ControlMessage.MetricsRequest.class, name = "metrics-request"),
		@JsonSubTypes.Type(value = ControlMessage.MetricsReply.class, name = "metrics"),
		@JsonSubTypes.Type(value = ControlMessage.Lead.class, name = "lead"),
		@JsonSubTypes.Type(value = ControlMessage.AdviceFound.class, name = "advice"),
		@JsonSubTypes.Type(value = ControlMessage.LogsRequest.class, name = "logs-request"),
		@JsonSubTypes.Type(value = ControlMessage.LogLines.class, name = "logs") })
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
	 * A worker's new state: {@code READY} once it serves, {@code DRAINING} once it
	 * stopped accepting, whoever asked it to stop.
	 *
	 * @param state the state it entered
	 */
	record StateChanged(WorkerState state) implements ControlMessage {

		public StateChanged {
			required(state, "state");
		}

	}

	/**
	 * A worker's periodic sign of life, sent only while it is healthy, from before its
	 * application context exists.
	 *
	 * @param heapUsedBytes heap in use
	 * @param requests requests served so far
	 * @param inFlight requests being served now
	 * @param cpu recent CPU use, as a fraction of one core
	 * @param loadedClasses classes loaded so far: while the worker boots, its progress
	 * @param webSocketSessions WebSocket sessions open now
	 */
	record Heartbeat(long heapUsedBytes, long requests, int inFlight, double cpu, long loadedClasses,
			int webSocketSessions) implements ControlMessage {
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

	/**
	 * An operator's command, forwarded by the worker that received it.
	 *
	 * @param requestId the id the reply carries
	 * @param action {@code reload}, {@code scale} or {@code restart}
	 * @param instances for {@code scale}: the new count, in the syntax of
	 * {@code cluster.instances}
	 * @param workerId for {@code restart}: the worker to replace
	 */
	record Command(long requestId, String action, String instances, Integer workerId) implements ControlMessage {
	}

	/**
	 * The primary's answer to a {@link Command}.
	 *
	 * @param requestId the command's id
	 * @param accepted whether the primary carries it out
	 * @param message what was accepted, or what was wrong
	 */
	record CommandReply(long requestId, boolean accepted, String message) implements ControlMessage {
	}

	/**
	 * A message from one worker to all, relayed by the primary.
	 *
	 * @param topic what the message is about
	 * @param payload the message as JSON
	 * @param fromWorkerId the sender
	 * @param includeSender whether the sender receives it too
	 */
	record Broadcast(String topic, JsonNode payload, int fromWorkerId, boolean includeSender)
			implements ControlMessage {
	}

	/**
	 * A request for Prometheus scrapes: from a scraped worker to the primary for every
	 * other worker, and from the primary to each of them.
	 *
	 * @param requestId the id the reply carries
	 * @param format the name of the Prometheus text format
	 * @param includedNames the metric names to include, {@code null} for all
	 */
	record MetricsRequest(long requestId, String format, Set<String> includedNames) implements ControlMessage {
	}

	/**
	 * The answer to a {@link MetricsRequest}: one scrape per worker that answered in
	 * time.
	 *
	 * @param requestId the request's id
	 * @param scrapes the scrapes, in the requested format
	 */
	record MetricsReply(long requestId, List<String> scrapes) implements ControlMessage {

		public MetricsReply {
			withoutNulls(scrapes, "scrapes");
		}

	}

	/**
	 * The primary telling a worker whether it is the lead: the one worker that runs
	 * scheduled tasks with {@code cluster.scheduling=lead}.
	 *
	 * @param lead whether it is the lead from now on
	 */
	record Lead(boolean lead) implements ControlMessage {
	}

	/**
	 * A worker's findings for the cluster-readiness report: those of its start, and
	 * later each one the first time it shows at run time.
	 *
	 * @param advice the findings
	 */
	record AdviceFound(List<Advice> advice) implements ControlMessage {

		public AdviceFound {
			withoutNulls(advice, "advice");
		}

	}

	/**
	 * The command line asks for the workers' output: the last lines, then every new one.
	 *
	 * @param requestId the id the replies carry
	 * @param lines how many of the last lines to send first
	 */
	record LogsRequest(long requestId, int lines) implements ControlMessage {

		public LogsRequest {
			if (lines < 0) {
				throw new IllegalArgumentException("'lines' must not be negative");
			}
		}

	}

	/**
	 * Lines of the workers' output, each prefixed with its worker ({@code worker-2 | }).
	 * An empty list only shows that the primary is still there.
	 *
	 * @param requestId the request's id
	 * @param lines the lines, oldest first
	 */
	record LogLines(long requestId, List<String> lines) implements ControlMessage {

		public LogLines {
			withoutNulls(lines, "lines");
		}

	}

	// A message that breaks these is malformed: decoding it fails, and it is dropped

	private static void required(Object value, String field) {
		if (value == null) {
			throw new IllegalArgumentException("'" + field + "' is required");
		}
	}

	private static void withoutNulls(List<?> list, String field) {
		required(list, field);
		if (list.stream().anyMatch(Objects::isNull)) {
			throw new IllegalArgumentException("'" + field + "' must not hold null");
		}
	}

}
