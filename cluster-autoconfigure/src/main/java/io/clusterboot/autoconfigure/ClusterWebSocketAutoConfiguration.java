package io.clusterboot.autoconfigure;

import io.clusterboot.messaging.ClusterMessenger;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.websocket.ClusterWebSocketConfigurer;
import io.clusterboot.worker.websocket.SimpleBrokerBridge;
import io.clusterboot.worker.websocket.TrackedWebSocketSessions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Auto-configuration of STOMP over WebSocket in a worker: the drain closes its sessions
 * with 1001 (Going Away), heartbeats count them, and with {@code cluster.stomp.relay=true},
 * the default, messages to Spring's simple broker reach subscribers in every worker.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnBean(WorkerAgent.class)
@ConditionalOnClass({ WebSocketMessageBrokerConfigurer.class, SimpleBrokerMessageHandler.class })
public final class ClusterWebSocketAutoConfiguration {

	@Bean
	TrackedWebSocketSessions clusterWebSocketSessions(WorkerAgent agent) {
		TrackedWebSocketSessions sessions = new TrackedWebSocketSessions();
		agent.reportWebSocketSessionsFrom(sessions);
		return sessions;
	}

	@Bean
	@ConditionalOnProperty(name = "cluster.stomp.relay", havingValue = "true", matchIfMissing = true)
	SimpleBrokerBridge clusterSimpleBrokerBridge(ClusterMessenger messenger,
			ObjectProvider<SimpleBrokerMessageHandler> broker, ObjectProvider<SimpMessagingTemplate> template) {
		return new SimpleBrokerBridge(messenger, broker, template);
	}

	@Bean
	ClusterWebSocketConfigurer clusterWebSocketConfigurer(TrackedWebSocketSessions sessions,
			ObjectProvider<SimpleBrokerBridge> bridge) {
		return new ClusterWebSocketConfigurer(sessions, bridge.getIfAvailable());
	}

}
