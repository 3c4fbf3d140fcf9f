package io.clusterboot.worker.websocket;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * Adds a worker's parts to the application's STOMP over WebSocket configuration: session
 * tracking for the drain, and the bridge that relays broker messages to the other
 * workers.
 */
public class ClusterWebSocketConfigurer implements WebSocketMessageBrokerConfigurer {

	private final TrackedWebSocketSessions sessions;

	private final @Nullable SimpleBrokerBridge bridge;

	/**
	 * Create a configurer.
	 * @param sessions tracks the STOMP endpoints' sessions
	 * @param bridge relays broker messages, {@code null} with {@code cluster.stomp.relay=false}
	 */
	public ClusterWebSocketConfigurer(TrackedWebSocketSessions sessions, @Nullable SimpleBrokerBridge bridge) {
		this.sessions = sessions;
		this.bridge = bridge;
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.addDecoratorFactory(this.sessions);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		if (this.bridge != null) {
			registration.interceptors(this.bridge);
		}
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		if (this.bridge != null) {
			registry.configureBrokerChannel().interceptors(this.bridge);
		}
	}

}
