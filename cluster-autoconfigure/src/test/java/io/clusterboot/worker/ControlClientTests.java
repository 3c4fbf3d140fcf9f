package io.clusterboot.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.Hello;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class ControlClientTests {

	private final FakePrimary primary;

	private final AtomicBoolean primaryGone = new AtomicBoolean();

	private final ControlClient client;

	ControlClientTests() throws Exception {
		this.primary = new FakePrimary();
		this.client = ControlClient.connect(this.primary.contract(), () -> this.primaryGone.set(true));
	}

	@AfterEach
	void close() throws Exception {
		this.client.close();
		this.primary.close();
	}

	@Test
	void presentsTheTokenFirst() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.primary.received().isEmpty());
		assertThat(this.primary.received().get(0)).isInstanceOfSatisfying(Hello.class, (hello) -> {
			assertThat(hello.token()).isEqualTo("token");
			assertThat(hello.workerId()).isEqualTo(1);
			assertThat(hello.pid()).isEqualTo(ProcessHandle.current().pid());
		});
	}

	@Test
	void aListenerThatThrowsDoesNotEndTheChannel() throws Exception {
		List<String> topics = new CopyOnWriteArrayList<>();
		this.client.onBroadcast((broadcast) -> {
			if (broadcast.topic().equals("bad")) {
				throw new NullPointerException("no key in the payload");
			}
			topics.add(broadcast.topic());
		});
		this.primary.send(new Broadcast("bad", JsonNodeFactory.instance.objectNode(), 2, false));
		this.primary.send(new Broadcast("good", JsonNodeFactory.instance.objectNode(), 2, false));
		await().atMost(Duration.ofSeconds(10)).until(() -> topics.contains("good"));
		// The reader still notices that the primary is gone, so the worker is no orphan
		this.primary.disconnect();
		await().atMost(Duration.ofSeconds(10)).untilTrue(this.primaryGone);
	}

	@Test
	void malformedMessagesFromThePrimaryAreDroppedAndTheChannelGoesOn() throws Exception {
		List<String> topics = new CopyOnWriteArrayList<>();
		this.client.onBroadcast((broadcast) -> topics.add(broadcast.topic()));
		this.primary.sendLine("not json");
		this.primary.sendLine("{\"type\":\"no-such-type\"}");
		this.primary.send(new Broadcast("after", JsonNodeFactory.instance.objectNode(), 2, false));
		await().atMost(Duration.ofSeconds(10)).until(() -> topics.contains("after"));
		assertThat(this.primaryGone).isFalse();
	}

	@Test
	void requestsFailOnceThePrimaryIsGone() {
		var status = this.client.requestStatus();
		this.primary.disconnect();
		await().atMost(Duration.ofSeconds(10)).until(status::isCompletedExceptionally);
		assertThat(this.primaryGone).isTrue();
	}

}
