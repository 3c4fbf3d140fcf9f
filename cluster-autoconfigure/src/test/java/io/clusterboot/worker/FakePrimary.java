package io.clusterboot.worker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.WorkerContract;

import static org.awaitility.Awaitility.await;

/**
 * The primary's end of one worker's control channel, for tests of the worker side:
 * it records what the worker sends and sends what a test wants.
 */
public final class FakePrimary implements AutoCloseable {

	private final Path directory;

	private final ServerSocketChannel server;

	private final List<ControlMessage> received = new CopyOnWriteArrayList<>();

	private volatile ControlChannel channel;

	private volatile Function<ControlMessage, ControlMessage> answers = (message) -> null;

	public FakePrimary() throws IOException {
		this.directory = Files.createTempDirectory("fake-primary-");
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.directory.resolve("control.sock")));
		Thread acceptor = new Thread(this::accept, "fake-primary");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public WorkerContract contract() {
		return new WorkerContract(1, 1, 1, 1, Listen.SHARED, 8080, this.directory.resolve("control.sock"), "token");
	}

	private void accept() {
		try (SocketChannel socket = this.server.accept()) {
			this.channel = new ControlChannel(socket);
			while (true) {
				try {
					ControlMessage message = this.channel.receive();
					this.received.add(message);
					ControlMessage answer = this.answers.apply(message);
					if (answer != null) {
						this.channel.send(answer);
					}
				}
				catch (ControlChannel.MalformedMessageException ex) {
					// Not what these tests look at
				}
			}
		}
		catch (IOException ex) {
			// Closed
		}
	}

	/**
	 * Answer what the worker sends, as the primary would.
	 * @param answers the answer to a message, or {@code null} for none
	 */
	public void answer(Function<ControlMessage, ControlMessage> answers) {
		this.answers = answers;
	}

	List<ControlMessage> received() {
		return this.received;
	}

	<T extends ControlMessage> List<T> received(Class<T> type) {
		return this.received.stream().filter(type::isInstance).map(type::cast).toList();
	}

	void send(ControlMessage message) throws IOException {
		awaitConnection().send(message);
	}

	void sendLine(String line) throws IOException {
		awaitConnection().write((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	private ControlChannel awaitConnection() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.channel != null);
		return this.channel;
	}

	/**
	 * End the connection, as a primary that exits does.
	 */
	void disconnect() {
		awaitConnection().close();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		if (this.channel != null) {
			this.channel.close();
		}
		Files.deleteIfExists(this.directory.resolve("control.sock"));
		Files.deleteIfExists(this.directory);
	}

}
