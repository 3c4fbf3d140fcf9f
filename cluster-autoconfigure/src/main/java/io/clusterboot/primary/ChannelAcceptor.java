package io.clusterboot.primary;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.clusterboot.protocol.ControlChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Accepts connections on one of the primary's Unix sockets until it is closed, and
 * serves each on a daemon thread of its own, so that one slow client never holds up
 * another. Only this user can reach the sockets, but a client of theirs that opens
 * connections in a loop must not take the primary's threads or descriptors: past
 * {@link #MAX_CONNECTIONS} open at once, a new connection is closed at once.
 */
final class ChannelAcceptor {

	/** Far more than the workers and command lines of any cluster. */
	static final int MAX_CONNECTIONS = 512;

	private static final Log logger = LogFactory.getLog(ChannelAcceptor.class);

	/** A failing accept (out of descriptors) is tried again after this, not in a spin. */
	private static final long ACCEPT_RETRY_MILLIS = 100;

	/** Warnings of refused or failed accepts, at most one this often. */
	private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private ChannelAcceptor() {
	}

	/**
	 * Start accepting on a daemon thread.
	 * @param server the listening socket; closing it stops the acceptor
	 * @param name the acceptor thread's name; connection threads add {@code -connection}
	 * @param serve serves one connection, on its thread
	 */
	static void start(ServerSocketChannel server, String name, Consumer<ControlChannel> serve) {
		start(server, name, serve, MAX_CONNECTIONS);
	}

	static void start(ServerSocketChannel server, String name, Consumer<ControlChannel> serve, int maxConnections) {
		Thread acceptor = new Thread(() -> acceptUntilClosed(server, name, serve, maxConnections), name);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static void acceptUntilClosed(ServerSocketChannel server, String name, Consumer<ControlChannel> serve,
			int maxConnections) {
		Semaphore open = new Semaphore(maxConnections);
		Warnings warnings = new Warnings();
		while (server.isOpen()) {
			SocketChannel accepted;
			try {
				accepted = server.accept();
			}
			catch (IOException ex) {
				if (server.isOpen()) {
					warnings.warn(() -> "Accepting on " + name + " failed: " + ex.getMessage());
					pause();
				}
				continue;
			}
			if (!open.tryAcquire()) {
				warnings.warn(() -> "Closing new connections on " + name + ": " + maxConnections
						+ " are open, the most it serves at once");
				closeQuietly(accepted);
				continue;
			}
			ControlChannel channel = new ControlChannel(accepted);
			Thread connection = new Thread(() -> {
				try {
					serve.accept(channel);
				}
				finally {
					channel.close();
					open.release();
				}
			}, name + "-connection");
			connection.setDaemon(true);
			try {
				connection.start();
			}
			catch (OutOfMemoryError ex) {
				// No thread for it: the connection goes, the acceptor stays
				open.release();
				closeQuietly(accepted);
			}
		}
	}

	/**
	 * One acceptor's warnings, at most one a {@link #WARNING_INTERVAL_NANOS}: a client in
	 * a loop, or a primary out of descriptors, would otherwise fill the log.
	 */
	private static final class Warnings {

		private long lastWarned = System.nanoTime() - WARNING_INTERVAL_NANOS;

		void warn(Supplier<String> message) {
			if (System.nanoTime() - this.lastWarned >= WARNING_INTERVAL_NANOS) {
				this.lastWarned = System.nanoTime();
				logger.warn(message.get());
			}
		}

	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Closing anyway
		}
	}

	private static void pause() {
		try {
			Thread.sleep(ACCEPT_RETRY_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
