package io.clusterboot.primary.socket;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.clusterboot.ClusterProperties.Listen;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The primary's side of the port that every worker serves.
 */
public sealed interface ClusterSocket extends Closeable permits SharedSocket, ReusePortSocket, StickySocket {

	/**
	 * Bind the port for the cluster.
	 * @param listen how workers share it
	 * @param address the address to bind, {@code null} for every address
	 * @param port the port, 0 for any free one
	 * @param backlog the accept queue length
	 * @return the bound socket
	 * @throws org.springframework.boot.web.server.PortInUseException if the port is taken
	 * @throws IOException if the port cannot be bound for another reason
	 */
	static ClusterSocket bind(Listen listen, InetAddress address, int port, int backlog) throws IOException {
		return switch (listen) {
			case SHARED -> SharedSocket.bind(address, port, backlog);
			case REUSEPORT -> ReusePortSocket.reserve(address, port);
			case STICKY -> StickySocket.bind(address, port, backlog);
		};
	}

	/**
	 * Serve the listening socket systemd passed the primary (socket activation), which
	 * the workers share.
	 * @param listen how workers share the port, which must be {@code shared}
	 * @param fd the socket's file descriptor
	 * @return the socket
	 * @throws IOException if the file descriptor is no listening socket
	 */
	static ClusterSocket activated(Listen listen, int fd) throws IOException {
		if (listen != Listen.SHARED) {
			throw new InvalidConfigurationPropertyValueException("cluster.listen", listen.name().toLowerCase(),
					"systemd passed the primary one listening socket (socket activation), which the workers can "
							+ "only share: use cluster.listen=shared");
		}
		return SharedSocket.adopt(fd);
	}

	/**
	 * The address and port that the workers serve.
	 * @return the bound address
	 */
	InetSocketAddress localAddress();

	/**
	 * How workers share the port.
	 * @return the listen mode
	 */
	Listen listen();

	/**
	 * Prepare a worker process so that it inherits this socket, if it must.
	 * @param worker the worker's process builder
	 * @param id the worker's id
	 * @throws IOException if the worker's socket cannot be bound
	 */
	default void shareWith(ProcessBuilder worker, int id) throws IOException {
	}

	/**
	 * Route new connections to this many workers, where the socket decides which worker
	 * gets a connection.
	 * @param workers the number of workers, by id from 1, that receive new connections
	 * @throws IOException if a socket for them cannot be bound
	 */
	default void route(int workers) throws IOException {
	}

	/**
	 * A readable form of the listening address, such as {@code [::]:8080}.
	 * @return the address as text
	 */
	default String describe() {
		InetSocketAddress address = localAddress();
		InetAddress host = address.getAddress();
		boolean ipv6 = host instanceof Inet6Address;
		String name = host.isAnyLocalAddress() ? (ipv6 ? "::" : "0.0.0.0") : host.getHostAddress();
		return (ipv6 ? "[" + name + "]" : name) + ":" + address.getPort();
	}

}
