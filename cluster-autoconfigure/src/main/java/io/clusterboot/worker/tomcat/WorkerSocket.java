package io.clusterboot.worker.tomcat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.protocol.WorkerContract;

/**
 * A worker's side of the cluster's port, as the primary described it in the worker's
 * environment.
 */
final class WorkerSocket {

	private WorkerSocket() {
	}

	/**
	 * How this worker shares the port.
	 * @return the listen mode the primary chose
	 */
	static Listen listen() {
		return contract().listen();
	}

	private static WorkerContract contract() {
		return WorkerContract.current()
			.orElseThrow(() -> new IllegalStateException("Not a cluster worker: no primary launched this JVM"));
	}

	/**
	 * Open this worker's listening channel.
	 * @param address the address to bind in {@code reuseport} mode, {@code null} for
	 * every address
	 * @param backlog the accept queue length in {@code reuseport} mode
	 * @return a listening channel
	 * @throws IOException if the channel cannot be opened
	 */
	static ServerSocketChannel open(InetAddress address, int backlog) throws IOException {
		return switch (listen()) {
			case SHARED, STICKY -> inherited();
			case REUSEPORT -> reusePort(address, contract().port(), backlog);
		};
	}

	private static ServerSocketChannel inherited() throws IOException {
		Channel channel = System.inheritedChannel();
		if (channel instanceof ServerSocketChannel serverChannel) {
			return serverChannel;
		}
		throw new IOException("Standard input is not the cluster's listening socket; was this worker started by "
				+ "a cluster primary?");
	}

	private static ServerSocketChannel reusePort(InetAddress address, int port, int backlog) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		channel.bind(new InetSocketAddress(address, port), backlog);
		return channel;
	}

}
