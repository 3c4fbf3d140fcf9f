package io.clusterboot.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.clusterboot.protocol.ControlChannel.MalformedMessageException;
import io.clusterboot.protocol.ControlChannel.OversizeFrameException;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.ControlMessage.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

	@ParameterizedTest
	@ValueSource(strings = { "null", "{\"type\":\"advice\"}", "{\"type\":\"advice\",\"advice\":[null]}",
			"{\"type\":\"metrics\",\"requestId\":1}", "{\"type\":\"metrics\",\"requestId\":1,\"scrapes\":[null]}",
			"{\"type\":\"state\"}",
			"{\"type\":\"logs-request\",\"requestId\":1,\"lines\":-1}", "{\"type\":\"logs\",\"requestId\":1}" })
	void aMessageWithoutWhatItsReceiverNeedsIsMalformed(String line) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> ControlChannel.decode(line));
	}

	@Test
	@Timeout(30)
	void aLineLongerThanTheFrameLimitIsDroppedAndTheConnectionGoesOn() throws Exception {
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			Path socket = Files.createTempDirectory("control").resolve("control.sock");
			server.bind(UnixDomainSocketAddress.of(socket));
			try (SocketChannel sender = SocketChannel.open(UnixDomainSocketAddress.of(socket));
					ControlChannel receiver = new ControlChannel(server.accept())) {
				Thread writer = new Thread(() -> {
					try {
						byte[] oversize = new byte[ControlChannel.MAX_FRAME_BYTES + 10];
						Arrays.fill(oversize, (byte) 'x');
						oversize[oversize.length - 1] = '\n';
						ControlChannel channel = new ControlChannel(sender);
						channel.write(oversize);
						channel.send(new Heartbeat(1, 2, 3, 0.5, 4, 5));
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				writer.start();
				assertThatExceptionOfType(OversizeFrameException.class).isThrownBy(receiver::receive);
				assertThat(receiver.receive()).isEqualTo(new Heartbeat(1, 2, 3, 0.5, 4, 5));
				writer.join();
			}
			finally {
				Files.deleteIfExists(socket);
				Files.deleteIfExists(socket.getParent());
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain ASCII", "caf\u00e9, \u65e5\u672c\u8a9e, \ud83d\ude00",
			"\u001b[32mINFO\u001b[0m\t\"quoted\" \\ path\r\n" })
	void encodedBytesIsWhatATextAddsToAFrame(String text) {
		int one = ControlChannel.encode(new LogLines(1, List.of(text))).length;
		int two = ControlChannel.encode(new LogLines(1, List.of(text, text))).length;
		assertThat(ControlChannel.encodedBytes(text)).isEqualTo(two - one);
	}

	@Test
	void encodedBytesOfALoneSurrogateIsAtLeastWhatItAdds() {
		String text = "lone \ud800 half";
		int one = ControlChannel.encode(new LogLines(1, List.of(text))).length;
		int two = ControlChannel.encode(new LogLines(1, List.of(text, text))).length;
		assertThat(ControlChannel.encodedBytes(text)).isGreaterThanOrEqualTo(two - one);
	}

	@Test
	void encodedBytesCountsWhatCharactersAlonePassOver() {
		String colours = "\u001b[0m".repeat(1000);
		String japanese = "\u65e5".repeat(1000);
		assertThat(ControlChannel.encodedBytes(colours)).isEqualTo(3 + 1000 * (6 + 3));
		assertThat(ControlChannel.encodedBytes(japanese)).isEqualTo(3 + 1000 * 3);
	}

	@Test
	void anUnknownMessageIsMalformed() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> ControlChannel.decode("{\"type\":\"launch-missiles\"}"));
	}

}
