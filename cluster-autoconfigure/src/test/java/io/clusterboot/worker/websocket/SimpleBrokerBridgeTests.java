package io.clusterboot.worker.websocket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.clusterboot.messaging.ClusterMessageEvent;
import io.clusterboot.messaging.ClusterMessenger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers' simple brokers, bridged through a messenger that hands each broadcast to
 * the other worker, as the primary does.
 */
class SimpleBrokerBridgeTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<Object> broadcasts = new CopyOnWriteArrayList<>();

	private final Worker one = new Worker(1, true);

	private final Worker two = new Worker(2, true);

	SimpleBrokerBridgeTests() {
		this.one.peer = this.two;
		this.two.peer = this.one;
	}

	@AfterEach
	void stopBrokers() {
		this.one.broker.stop();
		this.two.broker.stop();
	}

	@Test
	void aMessageSentInOneWorkerReachesTheSubscribersOfEveryWorkerOnce() {
		this.one.subscribe("s1", "/topic/chat");
		this.two.subscribe("s2", "/topic/chat");
		this.one.template.convertAndSend("/topic/chat", "hello");
		assertThat(this.one.delivered).singleElement().satisfies((message) -> assertThat(text(message)).isEqualTo("hello"));
		assertThat(this.two.delivered).singleElement().satisfies((message) -> {
			assertThat(text(message)).isEqualTo("hello");
			assertThat(SimpMessageHeaderAccessor.getDestination(message.getHeaders())).isEqualTo("/topic/chat");
			assertThat(SimpMessageHeaderAccessor.getSessionId(message.getHeaders())).isEqualTo("s2");
		});
		assertThat(this.broadcasts).as("a relayed message is not relayed back").hasSize(1);
	}

	@Test
	void aClientsSendToABrokerDestinationIsRelayedWithItsHeaders() {
		this.two.subscribe("s2", "/topic/chat");
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination("/topic/chat");
		headers.setSessionId("s1");
		headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
		headers.addNativeHeader("priority", "high");
		this.one.clientInbound.send(MessageBuilder.createMessage("{}".getBytes(StandardCharsets.UTF_8),
				headers.getMessageHeaders()));
		assertThat(this.two.delivered).singleElement().satisfies((message) -> {
			assertThat(text(message)).isEqualTo("{}");
			assertThat(message.getHeaders().get(MessageHeaders.CONTENT_TYPE)).hasToString("application/json");
			assertThat(SimpMessageHeaderAccessor.wrap(message).getFirstNativeHeader("priority")).isEqualTo("high");
		});
	}

	@Test
	void applicationDestinationsAreNotRelayed() {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination("/app/chat");
		this.one.clientInbound.send(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
		assertThat(this.broadcasts).isEmpty();
	}

	@Test
	void userDestinationsAreRelayedAsSentAndNeverAsResolvedForOneSession() {
		this.one.template.convertAndSendToUser("alice", "/queue/whispers", "psst");
		assertThat(this.broadcasts).singleElement().asString().contains("/user/alice/queue/whispers");
		SimpMessageHeaderAccessor resolved = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		resolved.setDestination("/queue/whispers-users1");
		// As Spring's user destination handler marks it
		resolved.setNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, "/user/queue/whispers");
		this.one.brokerChannel.send(MessageBuilder.createMessage(new byte[0], resolved.getMessageHeaders()));
		assertThat(this.broadcasts).hasSize(1);
	}

	@Test
	void withoutASimpleBrokerNothingIsRelayed() {
		Worker external = new Worker(3, false);
		external.peer = this.two;
		external.template.convertAndSend("/topic/chat", "hello");
		assertThat(this.broadcasts).isEmpty();
	}

	private static String text(Message<?> message) {
		return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
	}

	private final class Worker {

		private final ExecutorSubscribableChannel clientInbound = new ExecutorSubscribableChannel();

		private final ExecutorSubscribableChannel brokerChannel = new ExecutorSubscribableChannel();

		private final SimpleBrokerMessageHandler broker;

		private final SimpMessagingTemplate template = new SimpMessagingTemplate(this.brokerChannel);

		private final List<Message<?>> delivered = new CopyOnWriteArrayList<>();

		private Worker peer;

		Worker(int id, boolean simpleBroker) {
			// As Spring's STOMP configuration does: payloads reach the broker as bytes
			this.template.setMessageConverter(new StringMessageConverter());
			ExecutorSubscribableChannel clientOutbound = new ExecutorSubscribableChannel();
			clientOutbound.subscribe(this.delivered::add);
			this.broker = new SimpleBrokerMessageHandler(this.clientInbound, clientOutbound, this.brokerChannel,
					List.of("/topic", "/queue"));
			StaticListableBeanFactory beans = new StaticListableBeanFactory(
					simpleBroker ? Map.of("broker", this.broker, "template", this.template)
							: Map.of("template", this.template));
			ClusterMessenger messenger = new ClusterMessenger(null, (event) -> {
			}) {

				@Override
				public void broadcast(String topic, Object payload) {
					SimpleBrokerBridgeTests.this.broadcasts.add(json.writeValueAsString(payload));
					Worker.this.peer.bridge.onApplicationEvent(
							new ClusterMessageEvent(this, topic, json.valueToTree(payload), id));
				}

			};
			this.bridge = new SimpleBrokerBridge(messenger, beans.getBeanProvider(SimpleBrokerMessageHandler.class),
					beans.getBeanProvider(SimpMessagingTemplate.class));
			this.clientInbound.addInterceptor(this.bridge);
			this.brokerChannel.addInterceptor(this.bridge);
			this.bridge.afterSingletonsInstantiated();
			if (simpleBroker) {
				this.broker.start();
			}
		}

		private final SimpleBrokerBridge bridge;

		void subscribe(String session, String destination) {
			SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
			connect.setSessionId(session);
			this.clientInbound.send(MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders()));
			this.delivered.clear();
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
			headers.setSessionId(session);
			headers.setSubscriptionId("sub-" + session);
			headers.setDestination(destination);
			this.clientInbound.send(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
		}

	}

}
