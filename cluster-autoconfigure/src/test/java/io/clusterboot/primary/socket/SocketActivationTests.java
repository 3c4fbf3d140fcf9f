package io.clusterboot.primary.socket;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SocketActivationTests {

	private static final long PID = 4242;

	@Test
	void theFirstPassedSocketIsFileDescriptorThree() {
		assertThat(SocketActivation.listeningSocket(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1"), PID))
			.hasValue(3);
		assertThat(SocketActivation.listeningSocket(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2"), PID))
			.hasValue(3);
	}

	@Test
	void socketsPassedToAnotherProcessAreNotThisOnes() {
		assertThat(SocketActivation.listeningSocket(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"), PID)).isEmpty();
	}

	@Test
	void withoutSocketsThereIsNoActivation() {
		assertThat(SocketActivation.listeningSocket(Map.of(), PID)).isEmpty();
		assertThat(SocketActivation.listeningSocket(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "0"), PID)).isEmpty();
		assertThat(SocketActivation.listeningSocket(Map.of("LISTEN_PID", "x", "LISTEN_FDS", "1"), PID)).isEmpty();
	}

}
