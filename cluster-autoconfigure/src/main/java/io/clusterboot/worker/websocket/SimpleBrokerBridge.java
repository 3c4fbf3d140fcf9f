package io.clusterboot.worker.websocket;

import java.util.List;
import java.util.Map;

import io.clusterboot.messaging.ClusterMessageEvent;
import io.clusterboot.messaging.ClusterMessenger;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.util.MimeType;

/**
 * Makes Spring's simple broker span the workers, the way Socket.IO's cluster adapter
 * does: a message that reaches the broker in one worker, from {@code @SendTo},
 * {@code convertAndSend}, {@code convertAndSendToUser} or a client's {@code SEND}, is
 * relayed through the primary to every other worker, where the broker delivers it to
 * that worker's subscribers.
 * <p>
 * It intercepts the client inbound and broker channels. A user destination is relayed as
 * the application sent it ({@code /user/{name}/…}), and each worker resolves it to its
 * own sessions of that user; the session-specific destination a worker resolves it to is
 * never relayed, since session ids are unique only within one worker. Delivery is at
 * most once, like the simple broker's, and in order per sending worker.
 */
public class SimpleBrokerBridge
		implements ChannelInterceptor, ApplicationListener<ClusterMessageEvent>, SmartInitializingSingleton {

	static final String TOPIC = "cluster.stomp";

	/**
	 * Marks a message that came from another worker, so that it is not relayed again.
	 */
	static final String RELAYED_FROM_HEADER = "clusterRelayedFrom";

	private final ClusterMessenger messenger;

	private final ObjectProvider<SimpleBrokerMessageHandler> broker;

	private final ObjectProvider<SimpMessagingTemplate> template;

	private volatile Destinations destinations = Destinations.NONE;

	private volatile @Nullable MessageChannel deliverTo;

	/**
	 * Create a bridge.
	 * @param messenger reaches the other workers
	 * @param broker the simple broker, if the application enabled it
	 * @param template the broker's messaging template: its channel, where relayed
	 * messages are delivered, and the user destination prefix
	 */
	public SimpleBrokerBridge(ClusterMessenger messenger, ObjectProvider<SimpleBrokerMessageHandler> broker,
			ObjectProvider<SimpMessagingTemplate> template) {
		this.messenger = messenger;
		this.broker = broker;
		this.template = template;
	}

	/**
	 * Find the broker once every bean exists: until then, nothing is relayed, and this
	 * worker serves no subscriber yet.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		SimpleBrokerMessageHandler broker = this.broker.getIfUnique();
		SimpMessagingTemplate template = this.template.getIfUnique();
		if (broker != null && template != null) {
			this.deliverTo = template.getMessageChannel();
			this.destinations = new Destinations(List.copyOf(broker.getDestinationPrefixes()),
					template.getUserDestinationPrefix());
		}
	}

	/**
	 * Relay what this worker's channel took: interceptors after this one, such as
	 * authorization, may still refuse a message before it is sent.
	 */
	@Override
	public void postSend(Message<?> message, MessageChannel channel, boolean sent) {
		MessageHeaders headers = message.getHeaders();
		String destination = SimpMessageHeaderAccessor.getDestination(headers);
		if (sent && SimpMessageHeaderAccessor.getMessageType(headers) == SimpMessageType.MESSAGE
				&& destination != null && !headers.containsKey(RELAYED_FROM_HEADER)
				&& !isResolvedForOneSession(headers) && message.getPayload() instanceof byte[] payload
				&& this.destinations.relays(destination)) {
			Object contentType = headers.get(MessageHeaders.CONTENT_TYPE);
			this.messenger.broadcast(TOPIC, new RelayedMessage(destination,
					(contentType != null) ? contentType.toString() : null,
					SimpMessageHeaderAccessor.wrap(message).toNativeHeaderMap(), payload));
		}
	}

	/**
	 * Whether the user destination handler resolved this message for one session, which
	 * it marks with a native header.
	 */
	private static boolean isResolvedForOneSession(MessageHeaders headers) {
		return NativeMessageHeaderAccessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION,
				headers) != null;
	}

	@Override
	public void onApplicationEvent(ClusterMessageEvent event) {
		if (!TOPIC.equals(event.getTopic())) {
			return;
		}
		RelayedMessage relayed = event.getPayload(RelayedMessage.class);
		MessageChannel channel = this.deliverTo;
		if (channel != null && this.destinations.relays(relayed.destination())) {
			channel.send(relayed.toMessage(event.getFromWorkerId()));
		}
	}

	/**
	 * The destinations the simple broker serves, and the prefix of user destinations.
	 * Without a simple broker, nothing is relayed: an external broker spans the workers
	 * already.
	 */
	private record Destinations(@Nullable List<String> brokerPrefixes, @Nullable String userPrefix) {

		static final Destinations NONE = new Destinations(null, null);

		boolean relays(String destination) {
			if (this.brokerPrefixes == null) {
				return false;
			}
			if (this.userPrefix != null && destination.startsWith(this.userPrefix)) {
				return true;
			}
			if (this.brokerPrefixes.isEmpty()) {
				return true;
			}
			for (String prefix : this.brokerPrefixes) {
				if (destination.startsWith(prefix)) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * A message to a broker destination, as it travels between workers.
	 *
	 * @param destination its destination
	 * @param contentType its content type, if it has one
	 * @param nativeHeaders its STOMP headers
	 * @param payload its body
	 */
	record RelayedMessage(String destination, @Nullable String contentType,
			@Nullable Map<String, List<String>> nativeHeaders, byte[] payload) {

		Message<byte[]> toMessage(int fromWorkerId) {
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
			headers.setDestination(this.destination);
			if (this.contentType != null) {
				headers.setContentType(MimeType.valueOf(this.contentType));
			}
			if (this.nativeHeaders != null) {
				this.nativeHeaders.forEach((name, values) -> values.forEach((value) -> headers.addNativeHeader(name, value)));
			}
			headers.setHeader(RELAYED_FROM_HEADER, fromWorkerId);
			return MessageBuilder.createMessage(this.payload, headers.getMessageHeaders());
		}

	}

}
