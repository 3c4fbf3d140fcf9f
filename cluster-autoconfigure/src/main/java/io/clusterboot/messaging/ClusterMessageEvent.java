package io.clusterboot.messaging;

import org.springframework.context.ApplicationEvent;
import tools.jackson.databind.JsonNode;

/**
 * A message that a worker broadcast, published as an application event in every worker
 * that receives it.
 */
public class ClusterMessageEvent extends ApplicationEvent {

	private final String topic;

	private final JsonNode payload;

	private final int fromWorkerId;

	/**
	 * Create an event.
	 * @param source the messenger that received it
	 * @param topic what the message is about
	 * @param payload the message as JSON
	 * @param fromWorkerId the sender
	 */
	public ClusterMessageEvent(Object source, String topic, JsonNode payload, int fromWorkerId) {
		super(source);
		this.topic = topic;
		this.payload = payload;
		this.fromWorkerId = fromWorkerId;
	}

	/**
	 * What the message is about, as the sender named it.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The worker that sent it, 0 in a single JVM.
	 * @return the sender's worker id
	 */
	public int getFromWorkerId() {
		return this.fromWorkerId;
	}

	/**
	 * The message as JSON.
	 * @return the payload
	 */
	public JsonNode getPayload() {
		return this.payload;
	}

	/**
	 * The message as an object.
	 * @param <T> the type
	 * @param type the type to read it as
	 * @return the payload
	 */
	public <T> T getPayload(Class<T> type) {
		return ClusterMessenger.json.treeToValue(getPayload(), type);
	}

}
