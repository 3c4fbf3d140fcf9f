package io.clusterboot.primary.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.posix.LibC;

/**
 * One listening socket, bound by the primary and placed on its standard input, which
 * every worker inherits and accepts from: the pre-fork model of nginx and gunicorn.
 * <p>
 * The accept queue belongs to this socket, which the primary keeps open, so connections
 * wait in it while any worker restarts, and idle workers take from one queue.
 */
public final class SharedSocket implements ClusterSocket {

	private final InetSocketAddress localAddress;

	private SharedSocket(InetSocketAddress localAddress) {
		this.localAddress = localAddress;
	}

	/**
	 * Whether this platform supports a shared socket.
	 * @return {@code true} on Linux
	 */
	public static boolean isSupported() {
		return Platform.isLinux();
	}

	static SharedSocket bind(InetAddress address, int port, int backlog) throws IOException {
		if (!isSupported()) {
			throw new IOException("cluster.listen=shared needs Linux; use cluster.listen=reuseport");
		}
		int fd = NativeSocket.listen(address, port, backlog, false);
		InetSocketAddress bound = NativeSocket.localAddress(fd);
		// Children inherit file descriptors 0 to 2 only
		LibC.INSTANCE.dup2(fd, LibC.STDIN);
		NativeSocket.close(fd);
		return new SharedSocket(bound);
	}

	/**
	 * Serve a listening socket this process was handed, such as the one systemd passes.
	 * @param fd the socket
	 * @return the shared socket
	 * @throws IOException if the file descriptor is no listening socket
	 */
	static SharedSocket adopt(int fd) throws IOException {
		if (!isSupported()) {
			throw new IOException("Socket activation needs Linux");
		}
		IntByReference listening = new IntByReference();
		try {
			LibC.INSTANCE.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ACCEPTCONN, listening,
					new IntByReference(Integer.BYTES));
		}
		catch (LastErrorException ex) {
			throw new IOException("File descriptor " + fd + ", passed for socket activation, is no socket: "
					+ ex.getMessage(), ex);
		}
		if (listening.getValue() == 0) {
			throw new IOException("File descriptor " + fd + ", passed for socket activation, is not listening");
		}
		InetSocketAddress bound = NativeSocket.localAddress(fd);
		LibC.INSTANCE.dup2(fd, LibC.STDIN);
		NativeSocket.close(fd);
		return new SharedSocket(bound);
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	@Override
	public Listen listen() {
		return Listen.SHARED;
	}

	@Override
	public void shareWith(ProcessBuilder worker, int id) {
		worker.redirectInput(ProcessBuilder.Redirect.INHERIT);
	}

	@Override
	public void close() {
		NativeSocket.releaseStandardInput();
	}

}
