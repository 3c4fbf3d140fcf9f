package io.clusterboot.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.clusterboot.WorkerState;
import io.clusterboot.control.ControlMessage.Hello;
import io.clusterboot.control.ControlMessage.StateChanged;
import io.clusterboot.control.ControlServer.WorkerConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class ControlServerTests {

	private final List<Object> received = new CopyOnWriteArrayList<>();

	private ControlServer server;

	private Path socketPath;

	private String token;

	@BeforeEach
	void start() throws IOException {
		this.server = ControlServer.start(new ControlServer.Listener() {

			@Override
			public void connected(WorkerConnection connection) {
				ControlServerTests.this.received.add("connected " + connection.workerId());
			}

			@Override
			public void received(WorkerConnection connection, ControlMessage message) {
				ControlServerTests.this.received.add(message);
			}

			@Override
			public void disconnected(WorkerConnection connection) {
				ControlServerTests.this.received.add("disconnected " + connection.workerId());
			}

		});
		ProcessBuilder builder = new ProcessBuilder();
		this.server.shareWith(builder);
		this.socketPath = Path.of(builder.environment().get(ControlServer.SOCKET_VARIABLE));
		this.token = builder.environment().get(ControlServer.TOKEN_VARIABLE);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void socketLivesInADirectoryOnlyThisUserCanEnter() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.socketPath.getParent())))
			.isEqualTo("rwx------");
		assertThat(this.token).hasSize(64);
	}

	@Test
	void authenticatedWorkerIsHeard() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":3,\"pid\":42}");
			send(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.received.equals(List.of("connected 3", new StateChanged(WorkerState.READY))));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains("disconnected 3"));
	}

	@Test
	void wrongTokenIsClosedWithoutBeingHeard() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"guess\",\"workerId\":1,\"pid\":42}");
			send(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			assertThat(readUntilClosed(worker)).isEqualTo(-1);
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void messageBeforeHelloIsClosedWithoutBeingHeard() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			assertThat(readUntilClosed(worker)).isEqualTo(-1);
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void malformedMessagesFromAWorkerAreDroppedAndTheConnectionGoesOn() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":1,\"pid\":42}");
			send(worker, "not json at all");
			send(worker, "{\"type\":\"no-such-type\"}");
			send(worker, "{\"type\":\"state\",\"state\":\"HAPPY\"}");
			send(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.received.equals(List.of("connected 1", new StateChanged(WorkerState.READY))));
		}
	}

	@Test
	void oversizeFrameClosesTheConnection() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":1,\"pid\":42}");
			send(worker, "x".repeat(ControlChannel.MAX_FRAME_BYTES + 1));
			assertThat(readUntilClosed(worker)).isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains("disconnected 1"));
	}

	@Test
	void helloDoesNotPrintItsToken() {
		assertThat(new Hello("secret", 1, 2).toString()).doesNotContain("secret");
	}

	private SocketChannel connect() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(this.socketPath));
		return channel;
	}

	private static void send(SocketChannel channel, String line) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/**
	 * Read until the server closes the connection: end of stream, or a reset when the
	 * server closed with input still unread.
	 */
	private static int readUntilClosed(SocketChannel channel) {
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		int read;
		try {
			do {
				buffer.clear();
				read = channel.read(buffer);
			}
			while (read > 0);
		}
		catch (IOException ex) {
			return -1;
		}
		return read;
	}

}
