package io.clusterboot.primary;

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

import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.Hello;
import io.clusterboot.protocol.ControlMessage.StateChanged;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import io.clusterboot.protocol.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class ControlServerTests {

	private final List<Object> received = new CopyOnWriteArrayList<>();

	private final List<WorkerLink> links = new CopyOnWriteArrayList<>();

	private ControlServer server;

	private Path socketPath;

	private String token;

	@BeforeEach
	void start() throws IOException {
		this.server = ControlServer.open();
		this.server.serve(new ControlServer.Listener() {

			@Override
			public void connected(WorkerLink link) {
				ControlServerTests.this.links.add(link);
				ControlServerTests.this.received.add("connected " + link.workerId());
			}

			@Override
			public void received(WorkerLink link, ControlMessage message) {
				ControlServerTests.this.received.add(message);
			}

			@Override
			public void overflowed(WorkerLink link) {
				ControlServerTests.this.received.add("overflowed " + link.workerId());
			}

			@Override
			public void disconnected(WorkerLink link) {
				ControlServerTests.this.received.add("disconnected " + link.workerId());
			}

		});
		this.socketPath = this.server.socketPath();
		this.token = this.server.token();
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
			sendUnlessClosed(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			assertThat(readUntilClosed(worker)).isEqualTo(-1);
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	@Timeout(30)
	void aConnectionThatSaysNothingIsClosedWithoutBeingHeard() throws IOException {
		this.server.setHelloTimeout(Duration.ofMillis(200));
		try (SocketChannel silent = connect()) {
			assertThat(readUntilClosed(silent)).isEqualTo(-1);
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
	void anOversizeFrameIsDroppedAndTheConnectionGoesOn() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":1,\"pid\":42}");
			send(worker, "x".repeat(ControlChannel.MAX_FRAME_BYTES + 1));
			send(worker, "{\"type\":\"state\",\"state\":\"READY\"}");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.received.equals(List.of("connected 1", new StateChanged(WorkerState.READY))));
		}
	}

	@Test
	void sendingToAWorkerThatStopsReadingNeverBlocksAndReportsItOnce() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":2,\"pid\":42}");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.links.size() == 1);
			WorkerLink link = this.links.get(0);
			Broadcast large = new Broadcast("topic", JsonNodeFactory.instance.stringNode("x".repeat(64 * 1024)), 1,
					false);
			long frames = ControlServer.OUTBOUND_LIMIT_BYTES / (64 * 1024) + 64;
			long started = System.nanoTime();
			long accepted = 0;
			for (int i = 0; i < frames; i++) {
				if (link.send(large)) {
					accepted++;
				}
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(accepted).isLessThan(frames);
			assertThat(link.send(new StatusRequest(1))).isFalse();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains("overflowed 2"));
			assertThat(this.received.stream().filter("overflowed 2"::equals)).hasSize(1);
		}
	}

	@Test
	void messagesToAWorkerArriveInOrder() throws IOException {
		try (SocketChannel worker = connect()) {
			send(worker, "{\"type\":\"hello\",\"token\":\"" + this.token + "\",\"workerId\":2,\"pid\":42}");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.links.size() == 1);
			for (int i = 1; i <= 100; i++) {
				assertThat(this.links.get(0).send(new StatusRequest(i))).isTrue();
			}
			ControlChannel channel = new ControlChannel(worker);
			for (int i = 1; i <= 100; i++) {
				assertThat(channel.receive()).isEqualTo(new StatusRequest(i));
			}
		}
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
	 * Send, unless the server already closed the connection, which it may do as soon as
	 * it read what came before.
	 */
	private static void sendUnlessClosed(SocketChannel channel, String line) {
		try {
			send(channel, line);
		}
		catch (IOException ex) {
			// Closed: what the test waits for
		}
	}

	/**
	 * Read until the server closes the connection: end of stream, or a reset when the
	 * server closed with input still unread.
	 */
	static int readUntilClosed(SocketChannel channel) {
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
