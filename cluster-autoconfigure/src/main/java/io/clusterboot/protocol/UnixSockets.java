package io.clusterboot.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Unix domain sockets that a process leaves behind when it is killed: a socket file
 * stays, but nothing accepts on it any more.
 */
public final class UnixSockets {

	private UnixSockets() {
	}

	/**
	 * Whether a process still accepts on a socket.
	 * @param socket the socket's path
	 * @return {@code true} if connecting to it succeeds
	 */
	public static boolean answers(Path socket) {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			return channel.connect(UnixDomainSocketAddress.of(socket));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
