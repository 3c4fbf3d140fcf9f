package io.clusterboot.control;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.clusterboot.control.ControlChannel.MalformedMessageException;
import io.clusterboot.control.ControlMessage.Hello;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary's end of the control channel: a Unix domain socket in a directory only
 * this user can enter, and a random token that workers receive in their environment and
 * must present first.
 * <p>
 * Input that is oversize or unauthenticated is logged and its connection closed; a
 * malformed message from an authenticated worker is logged and dropped.
 */
public final class ControlServer implements AutoCloseable {

	/**
	 * Environment variable holding the path of the control socket.
	 */
	public static final String SOCKET_VARIABLE = "CLUSTER_CONTROL_SOCKET";

	/**
	 * Environment variable holding the token that a worker presents first.
	 */
	public static final String TOKEN_VARIABLE = "CLUSTER_CONTROL_TOKEN";

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private static final String DIRECTORY_PREFIX = "cluster-";

	private static final String SOCKET_NAME = "control.sock";

	private final Path directory;

	private final Path socketPath;

	private final byte[] token;

	private final ServerSocketChannel server;

	private final Listener listener;

	private final Set<WorkerConnection> connections = ConcurrentHashMap.newKeySet();

	private ControlServer(Path directory, ServerSocketChannel server, byte[] token, Listener listener) {
		this.directory = directory;
		this.socketPath = directory.resolve(SOCKET_NAME);
		this.server = server;
		this.token = token;
		this.listener = listener;
	}

	/**
	 * Open the control socket and start accepting workers.
	 * @param listener receives what authenticated workers send
	 * @return the running server
	 * @throws IOException if the socket cannot be created
	 */
	public static ControlServer start(Listener listener) throws IOException {
		removeStaleDirectories();
		Path directory = Files.createTempDirectory(DIRECTORY_PREFIX,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(directory.resolve(SOCKET_NAME)));
		byte[] token = new byte[32];
		new SecureRandom().nextBytes(token);
		ControlServer controlServer = new ControlServer(directory, server,
				HexFormat.of().formatHex(token).getBytes(StandardCharsets.US_ASCII), listener);
		Thread acceptor = new Thread(controlServer::acceptWorkers, "cluster-control");
		acceptor.setDaemon(true);
		acceptor.start();
		return controlServer;
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
						&& !answers(socket)) {
					Files.deleteIfExists(socket);
					Files.deleteIfExists(directory);
				}
			}
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Could not remove stale control directories: " + ex.getMessage());
		}
	}

	private static boolean answers(Path socket) {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Tell a worker where to connect and how to prove who launched it.
	 * @param worker the worker's process builder
	 */
	public void shareWith(ProcessBuilder worker) {
		worker.environment().put(SOCKET_VARIABLE, this.socketPath.toString());
		worker.environment().put(TOKEN_VARIABLE, new String(this.token, StandardCharsets.US_ASCII));
	}

	/**
	 * The workers connected now.
	 * @return their connections
	 */
	public Set<WorkerConnection> connections() {
		return Set.copyOf(this.connections);
	}

	private void acceptWorkers() {
		while (this.server.isOpen()) {
			try {
				SocketChannel socket = this.server.accept();
				Thread reader = new Thread(() -> serve(new ControlChannel(socket)), "cluster-control-connection");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				if (this.server.isOpen()) {
					logger.warn("Control channel accept failed", ex);
				}
			}
		}
	}

	private void serve(ControlChannel channel) {
		WorkerConnection connection = authenticate(channel);
		if (connection == null) {
			channel.close();
			return;
		}
		this.connections.add(connection);
		this.listener.connected(connection);
		try {
			while (true) {
				try {
					this.listener.received(connection, channel.receive());
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
			channel.close();
			this.connections.remove(connection);
			this.listener.disconnected(connection);
		}
	}

	private WorkerConnection authenticate(ControlChannel channel) {
		try {
			ControlMessage first = channel.receive();
			if (first instanceof Hello hello && hello.token() != null && MessageDigest.isEqual(this.token,
					hello.token().getBytes(StandardCharsets.US_ASCII))) {
				return new WorkerConnection(hello.workerId(), hello.pid(), channel);
			}
			logger.warn("Closing a control connection whose first message was not a valid hello");
		}
		catch (EOFException ex) {
			// Closed before saying anything
		}
		catch (IOException ex) {
			logger.warn("Closing an unauthenticated control connection: " + ex.getMessage());
		}
		return null;
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
	public interface Listener {

		/**
		 * A worker connected and presented the token.
		 * @param connection the worker's connection
		 */
		void connected(WorkerConnection connection);

		/**
		 * A worker sent a message.
		 * @param connection the worker's connection
		 * @param message the message
		 */
		void received(WorkerConnection connection, ControlMessage message);

		/**
		 * A worker's connection ended.
		 * @param connection the worker's connection
		 */
		void disconnected(WorkerConnection connection);

	}

	/**
	 * An authenticated connection to one worker process.
	 *
	 * @param workerId the id the worker announced
	 * @param pid the process id the worker announced
	 * @param channel the channel
	 */
	public record WorkerConnection(int workerId, long pid, ControlChannel channel) {

		/**
		 * Send a message, ignoring a worker that is already gone: its exit is reported
		 * separately.
		 * @param message the message
		 */
		public void send(ControlMessage message) {
			try {
				this.channel.send(message);
			}
			catch (IOException ex) {
				logger.debug("Worker " + this.workerId + " is gone: " + ex.getMessage());
			}
		}

	}

}
