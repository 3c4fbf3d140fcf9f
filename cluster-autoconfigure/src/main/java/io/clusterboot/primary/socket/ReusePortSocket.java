package io.clusterboot.primary.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import io.clusterboot.ClusterProperties.Listen;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.PortInUseException;

/**
 * The port reserved for workers that each bind their own {@code SO_REUSEPORT} socket.
 * <p>
 * The primary holds a bound socket that never listens: it claims the port for this user,
 * fixes the port when {@code server.port} is 0, and receives no connections.
 */
public final class ReusePortSocket implements ClusterSocket {

	private static final Log logger = LogFactory.getLog(ReusePortSocket.class);

	private static final Path MIGRATE_REQUESTS = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

	private final SocketChannel reservation;

	private final InetSocketAddress localAddress;

	private ReusePortSocket(SocketChannel reservation, InetSocketAddress localAddress) {
		this.reservation = reservation;
		this.localAddress = localAddress;
	}

	static ReusePortSocket reserve(InetAddress address, int port) throws IOException {
		SocketChannel channel = SocketChannel.open();
		try {
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			channel.bind(new InetSocketAddress(address, port));
		}
		catch (BindException ex) {
			channel.close();
			throw new PortInUseException(port, ex);
		}
		warnIfQueuedConnectionsAreReset();
		return new ReusePortSocket(channel, (InetSocketAddress) channel.getLocalAddress());
	}

	private static void warnIfQueuedConnectionsAreReset() {
		try {
			if (Files.isReadable(MIGRATE_REQUESTS) && Files.readString(MIGRATE_REQUESTS).trim().equals("0")) {
				logger.warn("net.ipv4.tcp_migrate_req is 0: with cluster.listen=reuseport, connections queued on a "
						+ "worker that stops are reset. Run 'sysctl -w net.ipv4.tcp_migrate_req=1', "
						+ "or use cluster.listen=shared");
			}
		}
		catch (IOException ex) {
			// Nothing to warn about where the setting cannot be read
		}
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	@Override
	public Listen listen() {
		return Listen.REUSEPORT;
	}

	@Override
	public void close() throws IOException {
		this.reservation.close();
	}

}
