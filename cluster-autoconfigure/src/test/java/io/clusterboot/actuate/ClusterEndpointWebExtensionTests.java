package io.clusterboot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import io.clusterboot.protocol.WorkerState;
import io.clusterboot.worker.FakePrimary;
import io.clusterboot.worker.WorkerAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class ClusterEndpointWebExtensionTests {

	private static final ClusterStatus STATUS = new ClusterStatus("cluster", "shared", "127.0.0.1:8080",
			new ClusterStatus.Primary(1, Instant.EPOCH), 1, null,
			List.of(new ClusterStatus.Worker(1, 2L, WorkerState.READY, 1, 0, Instant.EPOCH, 0, 0, 0, null, null, 0,
					0, 0, null, true, 0, null)),
			null, 0, List.of(), List.of());

	private FakePrimary primary;

	private WorkerAgent agent;

	private ClusterEndpointWebExtension extension;

	@BeforeEach
	void start() throws Exception {
		this.primary = new FakePrimary();
		this.primary.answer((message) -> {
			if (message instanceof StatusRequest request) {
				return new StatusReply(request.requestId(), STATUS);
			}
			if (message instanceof Command command) {
				return new CommandReply(command.requestId(), false, "Unknown action '" + command.action() + "'");
			}
			return null;
		});
		this.agent = WorkerAgent.start(this.primary.contract(), Duration.ofSeconds(1));
		this.extension = new ClusterEndpointWebExtension(new ClusterEndpoint(this.agent));
	}

	@AfterEach
	void stop() throws Exception {
		this.agent.close();
		this.primary.close();
	}

	@Test
	void knownWorkerIs200AndUnknownWorkerIs404() {
		assertThat(this.extension.worker(1).getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		WebEndpointResponse<Object> unknown = this.extension.worker(99);
		assertThat(unknown.getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		assertThat(unknown.getBody()).isEqualTo(Map.of("error", "No worker with id 99"));
	}

	@Test
	void refusedCommandIs400WithTheReason() {
		WebEndpointResponse<Object> refused = this.extension.command("banana", null, null);
		assertThat(refused.getStatus()).isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
		assertThat(refused.getBody()).isEqualTo(Map.of("error", "Unknown action 'banana'"));
		assertThat(this.extension.command("scale", null, null).getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	@Test
	void primaryThatDoesNotAnswerIs503WithTheLastKnownStatus() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.agent.lastStatus() != null);
		this.primary.answer((message) -> null);
		WebEndpointResponse<Object> response = this.extension.cluster();
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		assertThat(response.getBody()).isInstanceOfSatisfying(Map.class, (body) -> {
			assertThat(body.get("error")).isEqualTo("The cluster primary did not answer within 5 s");
			assertThat(body.get("lastKnown")).isEqualTo(STATUS);
		});
		assertThat(this.extension.worker(1).getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
	}

}
