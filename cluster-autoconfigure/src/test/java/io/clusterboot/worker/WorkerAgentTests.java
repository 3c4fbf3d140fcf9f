package io.clusterboot.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.ControlMessage.StateChanged;
import io.clusterboot.protocol.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class WorkerAgentTests {

	private static final Duration INTERVAL = Duration.ofMillis(50);

	private final FakePrimary primary;

	private WorkerAgent agent;

	WorkerAgentTests() throws Exception {
		this.primary = new FakePrimary();
	}

	@AfterEach
	void close() throws Exception {
		if (this.agent != null) {
			this.agent.close();
		}
		this.primary.close();
	}

	private WorkerAgent start(Supplier<Heartbeat> heartbeats) throws Exception {
		ControlClient client = ControlClient.connect(this.primary.contract(), () -> {
		});
		this.agent = new WorkerAgent(1, client, INTERVAL, heartbeats);
		return this.agent;
	}

	@Test
	void aHeartbeatThatFailsDoesNotStopTheNextOnes() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		start(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("measuring failed");
			}
			return new Heartbeat(1, calls.get(), 0, 0, 0, 0);
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.primary.received(Heartbeat.class).size() >= 3);
	}

	@Test
	void heartbeatsStopWhileTheApplicationIsBroken() throws Exception {
		WorkerAgent agent = start(() -> new Heartbeat(1, 0, 0, 0, 0, 0));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.primary.received(Heartbeat.class).isEmpty());
		agent.onApplicationEvent(new AvailabilityChangeEvent<>(this, LivenessState.BROKEN));
		int afterBroken = this.primary.received(Heartbeat.class).size() + 1;
		await().during(INTERVAL.multipliedBy(6))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.primary.received(Heartbeat.class).size() <= afterBroken);
		agent.onApplicationEvent(new AvailabilityChangeEvent<>(this, LivenessState.CORRECT));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.primary.received(Heartbeat.class).size() > afterBroken + 1);
	}

	@Test
	void reportsReadinessAndDraining() throws Exception {
		WorkerAgent agent = start(() -> new Heartbeat(1, 0, 0, 0, 0, 0));
		agent.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		agent.draining();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.primary.received(StateChanged.class)
				.equals(List.of(new StateChanged(WorkerState.READY), new StateChanged(WorkerState.DRAINING))));
	}

}
