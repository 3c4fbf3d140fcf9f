package io.clusterboot.messaging;

import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.worker.WorkerAgent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Sends a message to every worker of this cluster, where it arrives as a
 * {@link ClusterMessageEvent}: for example, to evict a cache entry everywhere.
 * <p>
 * Best-effort and local to this host: a worker that is starting, restarting or
 * unreachable misses the message, and nothing is stored or retried. State that must be
 * shared belongs in Redis or a database.
 */
public class ClusterMessenger {

	static final JsonMapper json = JsonMapper.builder().build();

	private final WorkerAgent agent;

	private final ApplicationEventPublisher events;

	/**
	 * Create a messenger.
	 * @param agent this worker's agent, {@code null} in a single JVM
	 * @param events where received messages are published
	 */
	public ClusterMessenger(WorkerAgent agent, ApplicationEventPublisher events) {
		this.agent = agent;
		this.events = events;
		if (agent != null) {
			agent.onBroadcast((broadcast) -> events.publishEvent(
					new ClusterMessageEvent(this, broadcast.topic(), broadcast.payload(), broadcast.fromWorkerId())));
		}
	}

	/**
	 * Send a message to every other worker.
	 * @param topic what the message is about
	 * @param payload anything Jackson can write
	 */
	public void broadcast(String topic, Object payload) {
		broadcast(topic, payload, false);
	}

	/**
	 * Send a message to every worker.
	 * @param topic what the message is about
	 * @param payload anything Jackson can write
	 * @param includeSelf whether this worker receives it too
	 */
	public void broadcast(String topic, Object payload, boolean includeSelf) {
		JsonNode tree = json.valueToTree(payload);
		if (this.agent != null) {
			this.agent.broadcast(new Broadcast(topic, tree, this.agent.getWorkerId(), includeSelf));
		}
		else if (includeSelf) {
			this.events.publishEvent(new ClusterMessageEvent(this, topic, tree, 0));
		}
	}

}
