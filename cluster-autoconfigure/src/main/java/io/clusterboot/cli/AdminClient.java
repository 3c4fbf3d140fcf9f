package io.clusterboot.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.clusterboot.protocol.AdminSocket;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.LogLines;
import io.clusterboot.protocol.ControlMessage.LogsRequest;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import io.clusterboot.protocol.UnixSockets;

/**
 * The command line's connection to one running primary, through its admin socket.
 */
final class AdminClient implements AutoCloseable {

	private final ControlChannel channel;

	private long nextRequestId;

	private AdminClient(ControlChannel channel) {
		this.channel = channel;
	}

	/**
	 * Connect to the primary of this application: the one whose socket is given, or with
	 * the given pid, or the only one running.
	 * @param applicationName the application's name, from its jar
	 * @param socket the socket, {@code null} to find it
	 * @param pid the primary's pid, {@code null} for the only one running
	 * @return the client
	 * @throws CommandLineException if no primary or several answer, or this user may not
	 * talk to it
	 */
	static AdminClient connect(String applicationName, Path socket, Long pid) {
		if (socket != null) {
			return connectTo(socket);
		}
		Path directory = AdminSocket.directory();
		List<Path> candidates = new ArrayList<>();
		try (DirectoryStream<Path> sockets = Files.newDirectoryStream(directory)) {
			for (Path candidate : sockets) {
				boolean matches = (pid != null) ? AdminSocket.pidOf(candidate) == pid
						: AdminSocket.belongsTo(candidate, applicationName);
				if (matches && UnixSockets.answers(candidate)) {
					candidates.add(candidate);
				}
			}
		}
		catch (AccessDeniedException ex) {
			throw new CommandLineException("Permission denied: " + directory
					+ " belongs to another user. Run this as the user that started the cluster.");
		}
		catch (IOException ex) {
			// No directory: no cluster ever ran for this user
		}
		if (candidates.isEmpty()) {
			throw new CommandLineException(((pid != null) ? "No running cluster with primary pid " + pid
					: "No running cluster of this application (" + applicationName + ")")
					+ " for this user; its primary logs its admin socket at startup. Use --socket PATH for "
					+ "another one.");
		}
		if (candidates.size() > 1) {
			throw new CommandLineException("Several clusters of this application are running, primaries "
					+ candidates.stream().map(AdminSocket::pidOf).toList() + ". Choose one with --pid PID.");
		}
		return connectTo(candidates.get(0));
	}

	private static AdminClient connectTo(Path socket) {
		if (Files.exists(socket) && !Files.isWritable(socket)) {
			throw new CommandLineException("Permission denied: " + socket + " is another user's admin socket. "
					+ "Run this as the user that started the cluster.");
		}
		try {
			SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(socket));
			return new AdminClient(new ControlChannel(channel));
		}
		catch (IOException ex) {
			if (String.valueOf(ex.getMessage()).contains("Permission denied")) {
				throw new CommandLineException("Permission denied: " + socket + " is another user's admin socket. "
						+ "Run this as the user that started the cluster.");
			}
			throw new CommandLineException("Cannot reach the primary at " + socket + ": " + ex.getMessage());
		}
	}

	ClusterStatus status() {
		ControlMessage reply = request(new StatusRequest(++this.nextRequestId));
		return ((StatusReply) reply).status();
	}

	CommandReply command(String action, String instances, Integer workerId) {
		return (CommandReply) request(new Command(++this.nextRequestId, action, instances, workerId));
	}

	/**
	 * Print the workers' last lines of output, then every new one, until the primary
	 * goes away.
	 * @param lines how many of the last lines
	 * @param sink receives each line
	 */
	void followLogs(int lines, Consumer<String> sink) {
		try {
			this.channel.send(new LogsRequest(++this.nextRequestId, lines));
			while (true) {
				if (this.channel.receive() instanceof LogLines batch) {
					batch.lines().forEach(sink);
				}
			}
		}
		catch (IOException ex) {
			throw new CommandLineException("The primary is gone: the cluster stopped");
		}
	}

	private ControlMessage request(ControlMessage request) {
		try {
			this.channel.send(request);
			return this.channel.receive();
		}
		catch (IOException ex) {
			throw new CommandLineException("The primary closed the connection: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		this.channel.close();
	}

}
