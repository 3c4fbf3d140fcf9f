package io.clusterboot.primary;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clusterboot.posix.PrivateDirectory;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlChannel.MalformedMessageException;
import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.LogLines;
import io.clusterboot.protocol.ControlMessage.LogsRequest;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.UnixSockets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary's end of its command line: a Unix domain socket that only its user can
 * open ({@code 0600}, in a directory only that user can enter), which is all the
 * authentication there is, as with gunicorn's control socket. A connection sends status
 * requests and commands, each answered with one reply. Malformed input is logged and the
 * connection closed.
 */
final class AdminServer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AdminServer.class);

	private static final Set<PosixFilePermission> OWNER_ONLY_SOCKET = PosixFilePermissions.fromString("rw-------");

	private static final long COMMAND_TIMEOUT_SECONDS = 30;

	private static final long LOGS_KEEPALIVE_SECONDS = 5;

	private final Path socket;

	private final ServerSocketChannel server;

	private AdminServer(Path socket, ServerSocketChannel server) {
		this.socket = socket;
		this.server = server;
	}

	/**
	 * Listen on a socket, creating its directory for this user only.
	 * @param socket the socket's path
	 * @return the server
	 * @throws IOException if the socket cannot be created, or its directory is open to
	 * other users
	 */
	static AdminServer open(Path socket) throws IOException {
		PrivateDirectory.createOrCheck(socket.toAbsolutePath().getParent());
		if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
			if (UnixSockets.answers(socket)) {
				throw new IOException(socket + " is the admin socket of another running primary");
			}
			// Left by a primary that was killed
			Files.delete(socket);
		}
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		Files.setPosixFilePermissions(socket, OWNER_ONLY_SOCKET);
		return new AdminServer(socket, server);
	}

	Path socket() {
		return this.socket;
	}

	/**
	 * Start answering requests.
	 * @param requests what answers them
	 */
	void serve(Requests requests) {
		ChannelAcceptor.start(this.server, "cluster-admin", (channel) -> answer(channel, requests));
	}

	private void answer(ControlChannel channel, Requests requests) {
		try (channel) {
			while (true) {
				ControlMessage request = channel.receive();
				if (request instanceof StatusRequest status) {
					channel.send(new StatusReply(status.requestId(), requests.status()));
				}
				else if (request instanceof Command command) {
					channel.send(await(command, requests.command(command)));
				}
				else if (request instanceof LogsRequest logs) {
					follow(channel, logs, requests);
					return;
				}
				else {
					logger.warn("Closing an admin connection that sent " + request.getClass().getSimpleName());
					return;
				}
			}
		}
		catch (EOFException ex) {
			// The command line is done
		}
		catch (MalformedMessageException ex) {
			logger.warn("Closing an admin connection that sent a malformed request: " + ex.getMessage());
		}
		catch (IOException ex) {
			logger.debug("Admin connection failed", ex);
		}
		catch (RuntimeException ex) {
			logger.error("Closing an admin connection whose request failed", ex);
		}
	}

	/**
	 * Send the workers' output until the command line goes away, which the next send
	 * finds out: a quiet cluster gets an empty batch now and then.
	 */
	private static void follow(ControlChannel channel, LogsRequest request, Requests requests) throws IOException {
		WorkerOutput.Follower lines = requests.followLogs(request.lines());
		try {
			String carried = null;
			while (true) {
				List<String> batch = new ArrayList<>();
				String line = (carried != null) ? carried : lines.poll(LOGS_KEEPALIVE_SECONDS, TimeUnit.SECONDS);
				carried = null;
				// Lines may be long: a batch stays inside a control frame
				for (long bytes = 0; line != null; line = lines.poll()) {
					long size = ControlChannel.encodedBytes(line);
					if (!batch.isEmpty() && bytes + size > ControlChannel.TEXT_BUDGET_BYTES) {
						carried = line;
						break;
					}
					batch.add(line);
					bytes += size;
				}
				channel.send(new LogLines(request.requestId(), batch));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			requests.unfollowLogs(lines);
		}
	}

	private static CommandReply await(Command command, CompletableFuture<CommandReply> reply) {
		try {
			return reply.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			return new CommandReply(command.requestId(), false, "The primary did not answer: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new CommandReply(command.requestId(), false, "Interrupted");
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + this.socket, ex);
		}
	}

	/**
	 * What the command line may ask.
	 */
	interface Requests {

		/**
		 * The cluster's status.
		 * @return the last published status
		 */
		ClusterStatus status();

		/**
		 * Carry out a command: {@code reload}, {@code rollback}, {@code scale},
		 * {@code restart} or {@code stop}.
		 * @param command the command
		 * @return the reply, once the supervisor decided
		 */
		CompletableFuture<CommandReply> command(Command command);

		/**
		 * The workers' last lines of output, then every new one.
		 * @param lines how many of the last lines
		 * @return the lines, until {@link #unfollowLogs}
		 */
		WorkerOutput.Follower followLogs(int lines);

		/**
		 * Stop following.
		 * @param lines what {@link #followLogs} returned
		 */
		void unfollowLogs(WorkerOutput.Follower lines);

	}

}
