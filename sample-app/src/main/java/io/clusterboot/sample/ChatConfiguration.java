package io.clusterboot.sample;

import java.security.Principal;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * STOMP over WebSocket for the chat page, on Spring's simple broker: the configuration
 * of a single JVM, unchanged. Each client names itself with the {@code name} query
 * parameter of the endpoint's URL, so that private messages can reach it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class ChatConfiguration implements WebSocketMessageBrokerConfigurer {

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/chat-ws").setHandshakeHandler(new NamedUserHandshakeHandler());
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue");
		registry.setApplicationDestinationPrefixes("/app");
	}

	/**
	 * Takes the user's name from the {@code name} query parameter: a stand-in for Spring
	 * Security's authenticated user.
	 */
	static class NamedUserHandshakeHandler extends DefaultHandshakeHandler {

		@Override
		protected Principal determineUser(ServerHttpRequest request, WebSocketHandler handler,
				Map<String, Object> attributes) {
			String name = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("name");
			String user = (name != null && !name.isBlank()) ? name : "guest-" + UUID.randomUUID();
			return () -> user;
		}

	}

}
