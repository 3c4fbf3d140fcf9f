package io.clusterboot.primary.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.posix.LibC;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * One {@code SO_REUSEPORT} listening socket per worker id, all bound by the primary, with
 * a program that routes every connection from one client address to the same socket:
 * sticky sessions decided by the kernel, with no proxy.
 * <p>
 * Worker {@code i} inherits socket {@code i}, and during a reload its replacement shares
 * it. The primary holds every socket for the cluster's life: the kernel numbers a
 * group's sockets in the order they listen and renumbers them when one closes, and the
 * routing must not move. A socket's queue outlives its workers, so connections routed to
 * a worker that restarts wait for it instead of being reset.
 */
public final class StickySocket implements ClusterSocket {

	private final InetAddress address;

	private final int backlog;

	private final List<Integer> sockets = new ArrayList<>();

	private final InetSocketAddress localAddress;

	private int routed;

	private StickySocket(InetAddress address, int backlog, int first) {
		this.address = address;
		this.backlog = backlog;
		this.sockets.add(first);
		this.localAddress = NativeSocket.localAddress(first);
	}

	static StickySocket bind(InetAddress address, int port, int backlog) throws IOException {
		if (!Platform.isLinux()) {
			throw unsupported("it needs Linux");
		}
		StickySocket socket = new StickySocket(address, backlog, NativeSocket.listen(address, port, backlog, true));
		try {
			socket.route(1);
		}
		catch (LastErrorException ex) {
			socket.close();
			throw unsupported("the kernel refused its routing program (" + ex.getMessage()
					+ "); SO_ATTACH_REUSEPORT_CBPF needs Linux 4.6 or later");
		}
		return socket;
	}

	private static InvalidConfigurationPropertyValueException unsupported(String why) {
		return new InvalidConfigurationPropertyValueException("cluster.listen", "sticky",
				"Sticky routing is not available here: " + why + ". Use cluster.listen=shared or reuseport.");
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	@Override
	public Listen listen() {
		return Listen.STICKY;
	}

	/**
	 * Place worker {@code id}'s socket on the primary's standard input, where the worker
	 * inherits it. Called on the supervisor's thread only, right before the worker starts.
	 */
	@Override
	public void shareWith(ProcessBuilder worker, int id) throws IOException {
		LibC.INSTANCE.dup2(socket(id), LibC.STDIN);
		worker.redirectInput(ProcessBuilder.Redirect.INHERIT);
	}

	/**
	 * Route connections to the first sockets only: new clients are spread over the
	 * workers that serve, and a client keeps its worker until the count changes.
	 */
	@Override
	public void route(int workers) throws IOException {
		if (workers != this.routed) {
			socket(workers);
			try {
				ClientAddressRouting.attach(this.sockets.get(0), workers);
			}
			catch (LastErrorException ex) {
				throw new IOException("Cannot route connections to " + workers + " workers: " + ex.getMessage(), ex);
			}
			this.routed = workers;
		}
	}

	private int socket(int id) throws IOException {
		while (this.sockets.size() < id) {
			this.sockets.add(NativeSocket.listen(this.address, this.localAddress.getPort(), this.backlog, true));
		}
		return this.sockets.get(id - 1);
	}

	@Override
	public void close() {
		this.sockets.forEach(NativeSocket::close);
		NativeSocket.releaseStandardInput();
	}

	@Override
	public String toString() {
		return "sticky socket " + describe() + " (" + this.sockets.size() + " sockets, " + this.routed + " routed)";
	}

}
