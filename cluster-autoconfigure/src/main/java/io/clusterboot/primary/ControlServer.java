package io.clusterboot.primary;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlChannel.MalformedMessageException;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Hello;
import io.clusterboot.protocol.UnixSockets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary's end of the control channel: a Unix domain socket in a directory only
 * this user can enter, and a random token that workers receive in their environment and
 * must present first.
 * <p>
 * A connection that does not say a valid hello first, within 10 s, is logged and
 * closed; an oversize or malformed message from an authenticated worker is logged and
 * dropped. Nothing sent to a worker blocks the sender: each connection has a bounded
 * queue and its own writer, and a worker that stops reading until its queue is full is
 * reported to the listener.
 */
public final class ControlServer implements AutoCloseable {

	/**
	 * How many bytes may wait for one worker before it counts as not reading: room for a
	 * few full-size frames, such as metrics replies.
	 */
	static final long OUTBOUND_LIMIT_BYTES = 4L * ControlChannel.MAX_FRAME_BYTES;

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private static final String DIRECTORY_PREFIX = "cluster-";

	private static final String SOCKET_NAME = "control.sock";

	private static final byte[] END_OF_QUEUE = new byte[0];

	private static final long HELLO_TIMEOUT_SECONDS = 10;

	private final Path directory;

	private final Path socketPath;

	private final String token;

	private final ServerSocketChannel server;

	private volatile Duration helloTimeout = Duration.ofSeconds(HELLO_TIMEOUT_SECONDS);

	private ControlServer(Path directory, ServerSocketChannel server, String token) {
		this.directory = directory;
		this.socketPath = directory.resolve(SOCKET_NAME);
		this.server = server;
		this.token = token;
	}

	/**
	 * Open the control socket. Workers can connect once {@link #serve} runs.
	 * @return the open server
	 * @throws IOException if the socket cannot be created
	 */
	public static ControlServer open() throws IOException {
		removeStaleDirectories();
		Path directory = Files.createTempDirectory(DIRECTORY_PREFIX,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(directory.resolve(SOCKET_NAME)));
		byte[] token = new byte[32];
		new SecureRandom().nextBytes(token);
		return new ControlServer(directory, server, HexFormat.of().formatHex(token));
	}

	/**
	 * Start accepting workers.
	 * @param listener receives what authenticated workers send
	 */
	void serve(Listener listener) {
		ChannelAcceptor.start(this.server, "cluster-control", (channel) -> serve(channel, listener));
	}

	/**
	 * Where workers connect.
	 * @return the socket's path
	 */
	Path socketPath() {
		return this.socketPath;
	}

	/**
	 * What workers present first.
	 * @return the token
	 */
	String token() {
		return this.token;
	}

	/**
	 * Remove the control directories of primaries that were killed before they could
	 * clean up: this user's, whose socket no longer answers.
	 */
	private static void removeStaleDirectories() {
		Path temp = Path.of(System.getProperty("java.io.tmpdir"));
		try (DirectoryStream<Path> directories = Files.newDirectoryStream(temp, DIRECTORY_PREFIX + "*")) {
			for (Path directory : directories) {
				Path socket = directory.resolve(SOCKET_NAME);
				if (Files.isDirectory(directory) && Files.isWritable(directory) && Files.exists(socket)
						&& !UnixSockets.answers(socket)) {
					Files.deleteIfExists(socket);
					Files.deleteIfExists(directory);
				}
			}
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Could not remove stale control directories: " + ex.getMessage());
		}
	}

	private void serve(ControlChannel channel, Listener listener) {
		Hello hello = authenticate(channel);
		if (hello == null) {
			channel.close();
			return;
		}
		Connection connection = new Connection(hello.workerId(), hello.pid(), channel, listener);
		listener.connected(connection);
		try {
			while (true) {
				try {
					listener.received(connection, channel.receive());
				}
				catch (MalformedMessageException ex) {
					logger.warn("Dropped a message from worker " + connection.workerId() + ": " + ex.getMessage());
				}
			}
		}
		catch (EOFException ex) {
			// The worker exited or closed the channel
		}
		catch (IOException ex) {
			logger.warn("Closing control connection of worker " + connection.workerId() + ": " + ex.getMessage());
		}
		finally {
			connection.close();
			listener.disconnected(connection);
		}
	}

	private Hello authenticate(ControlChannel channel) {
		// A worker says hello as soon as it connects; a client that never does is closed
		CompletableFuture<Void> spoken = new CompletableFuture<Void>()
			.orTimeout(this.helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
		spoken.exceptionally((timeout) -> {
			channel.close();
			return null;
		});
		try {
			ControlMessage first = channel.receive();
			if (!spoken.complete(null)) {
				// The timer closed the channel as this hello came
				logger.warn("Closed a control connection whose hello came after "
						+ this.helloTimeout.toMillis() + " ms");
				return null;
			}
			if (first instanceof Hello hello && hello.token() != null
					&& MessageDigest.isEqual(this.token.getBytes(StandardCharsets.US_ASCII),
							hello.token().getBytes(StandardCharsets.US_ASCII))) {
				return hello;
			}
			logger.warn("Closing a control connection whose first message was not a valid hello");
		}
		catch (EOFException ex) {
			// Closed before saying anything
		}
		catch (IOException ex) {
			logger.warn(spoken.isCompletedExceptionally()
					? "Closed a control connection that sent no hello within " + this.helloTimeout.toMillis() + " ms"
					: "Closing an unauthenticated control connection: " + ex.getMessage());
		}
		finally {
			spoken.complete(null);
		}
		return null;
	}

	/**
	 * How long a new connection may take to say hello.
	 * @param helloTimeout the time, {@value #HELLO_TIMEOUT_SECONDS} s unless a test says otherwise
	 */
	void setHelloTimeout(Duration helloTimeout) {
		this.helloTimeout = helloTimeout;
	}

	@Override
	public void close() {
		try {
			this.server.close();
			Files.deleteIfExists(this.socketPath);
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + this.directory, ex);
		}
	}

	/**
	 * Receives what authenticated workers send, on the thread of their connection.
	 */
	interface Listener {

		/**
		 * A worker connected and presented the token.
		 * @param link the worker's connection
		 */
		void connected(WorkerLink link);

		/**
		 * A worker sent a message.
		 * @param link the worker's connection
		 * @param message the message
		 */
		void received(WorkerLink link, ControlMessage message);

		/**
		 * A worker stopped reading: what was sent to it filled its queue.
		 * @param link the worker's connection
		 */
		void overflowed(WorkerLink link);

		/**
		 * A worker's connection ended.
		 * @param link the worker's connection
		 */
		void disconnected(WorkerLink link);

	}

	/**
	 * An authenticated connection to one worker process, with its own writer thread.
	 */
	private static final class Connection implements WorkerLink {

		private final int workerId;

		private final long pid;

		private final ControlChannel channel;

		private final Listener listener;

		private final BlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();

		private final AtomicLong queuedBytes = new AtomicLong();

		private final AtomicBoolean overflowed = new AtomicBoolean();

		private volatile boolean open = true;

		Connection(int workerId, long pid, ControlChannel channel, Listener listener) {
			this.workerId = workerId;
			this.pid = pid;
			this.channel = channel;
			this.listener = listener;
			Thread writer = new Thread(this::write, "cluster-control-writer-" + workerId);
			writer.setDaemon(true);
			writer.start();
		}

		@Override
		public int workerId() {
			return this.workerId;
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public boolean send(ControlMessage message) {
			if (!this.open || this.overflowed.get()) {
				return false;
			}
			byte[] frame = ControlChannel.encode(message);
			if (this.queuedBytes.addAndGet(frame.length) > OUTBOUND_LIMIT_BYTES) {
				this.queuedBytes.addAndGet(-frame.length);
				if (this.overflowed.compareAndSet(false, true)) {
					logger.warn("Worker " + this.workerId + " (pid " + this.pid + ") is not reading its control "
							+ "channel: " + this.queuedBytes.get() + " bytes wait for it");
					this.listener.overflowed(this);
				}
				return false;
			}
			this.outbound.add(frame);
			return true;
		}

		private void write() {
			try {
				while (true) {
					byte[] frame = this.outbound.take();
					if (frame == END_OF_QUEUE) {
						return;
					}
					this.queuedBytes.addAndGet(-frame.length);
					this.channel.write(frame);
				}
			}
			catch (IOException ex) {
				logger.debug("Worker " + this.workerId + " is gone: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void close() {
			if (this.open) {
				this.open = false;
				this.outbound.add(END_OF_QUEUE);
				this.channel.close();
			}
		}

		@Override
		public String toString() {
			return "worker " + this.workerId + " (pid " + this.pid + ")";
		}

	}

}
