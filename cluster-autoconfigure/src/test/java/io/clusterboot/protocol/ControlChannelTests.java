package io.clusterboot.protocol;

import java.nio.charset.StandardCharsets;

import io.clusterboot.protocol.ControlChannel.MalformedMessageException;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Messages between a primary and workers that may run different versions of the
 * starter.
 */
class ControlChannelTests {

	@Test
	void aMessageRoundTrips() throws Exception {
		Heartbeat heartbeat = new Heartbeat(1, 2, 3, 0.5, 4, 5);
		String line = new String(ControlChannel.encode(heartbeat), StandardCharsets.UTF_8).stripTrailing();
		assertThat(ControlChannel.decode(line)).isEqualTo(heartbeat);
	}

	@Test
	void aFieldAnOlderWorkerDoesNotSendIsItsDefault() throws Exception {
		String older = "{\"type\":\"heartbeat\",\"heapUsedBytes\":1,\"requests\":2,\"inFlight\":3,\"cpu\":0.5,"
				+ "\"loadedClasses\":4}";
		assertThat(ControlChannel.decode(older)).isEqualTo(new Heartbeat(1, 2, 3, 0.5, 4, 0));
	}

	@Test
	void aFieldANewerWorkerSendsIsIgnored() throws Exception {
		String newer = "{\"type\":\"heartbeat\",\"heapUsedBytes\":1,\"requests\":2,\"inFlight\":3,\"cpu\":0.5,"
				+ "\"loadedClasses\":4,\"webSocketSessions\":5,\"threads\":40}";
		assertThat(ControlChannel.decode(newer)).isEqualTo(new Heartbeat(1, 2, 3, 0.5, 4, 5));
	}

	@Test
	void anUnknownMessageIsMalformed() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> ControlChannel.decode("{\"type\":\"launch-missiles\"}"));
	}

}
