package io.clusterboot.primary;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.function.Consumer;

import io.clusterboot.protocol.ControlChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Accepts connections on one of the primary's Unix sockets until it is closed, and
 * serves each on a daemon thread of its own, so that one slow client never holds up
 * another.
 */
final class ChannelAcceptor {

	private static final Log logger = LogFactory.getLog(ChannelAcceptor.class);

	private ChannelAcceptor() {
	}

	/**
	 * Start accepting on a daemon thread.
	 * @param server the listening socket; closing it stops the acceptor
	 * @param name the acceptor thread's name; connection threads add {@code -connection}
	 * @param serve serves one connection, on its thread
	 */
	static void start(ServerSocketChannel server, String name, Consumer<ControlChannel> serve) {
		Thread acceptor = new Thread(() -> acceptUntilClosed(server, name, serve), name);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static void acceptUntilClosed(ServerSocketChannel server, String name, Consumer<ControlChannel> serve) {
		while (server.isOpen()) {
			try {
				ControlChannel channel = new ControlChannel(server.accept());
				Thread connection = new Thread(() -> serve.accept(channel), name + "-connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				if (server.isOpen()) {
					logger.warn("Accepting on " + name + " failed", ex);
				}
			}
		}
	}

}
