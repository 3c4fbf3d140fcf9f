package io.clusterboot.primary.socket;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import io.clusterboot.posix.LibC;

import org.springframework.boot.web.server.PortInUseException;

/**
 * Listening sockets made with the C library, so that the primary can place them on a
 * file descriptor a worker inherits, which Java's own sockets cannot.
 */
final class NativeSocket {

	private static final int SOCKADDR_IN_LENGTH = 16;

	private static final int SOCKADDR_IN6_LENGTH = 28;

	private NativeSocket() {
	}

	/**
	 * Bind and listen.
	 * @param address the address, {@code null} for every address
	 * @param port the port, 0 for any free one
	 * @param backlog the accept queue length
	 * @param reusePort whether the socket joins the port's {@code SO_REUSEPORT} group
	 * @return the socket's file descriptor
	 * @throws PortInUseException if the port is taken
	 * @throws IOException if the port cannot be bound for another reason
	 */
	static int listen(InetAddress address, int port, int backlog, boolean reusePort) throws IOException {
		LibC libc = LibC.INSTANCE;
		OpenedSocket socket = open(address);
		int fd = socket.fd();
		try {
			libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, new IntByReference(1), Integer.BYTES);
			if (reusePort) {
				libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, new IntByReference(1), Integer.BYTES);
			}
			byte[] socketAddress = (socket.family() == LibC.AF_INET6) ? socketAddress6(address, port)
					: socketAddress4((Inet4Address) address, port);
			libc.bind(fd, socketAddress, socketAddress.length);
			libc.listen(fd, backlog);
			return fd;
		}
		catch (LastErrorException ex) {
			close(fd);
			if (ex.getErrorCode() == LibC.EADDRINUSE) {
				throw new PortInUseException(port, ex);
			}
			String where = ((address != null) ? address.getHostAddress() : "*") + ":" + port;
			if (ex.getErrorCode() == LibC.EACCES) {
				throw new IOException("Permission denied binding " + where
						+ ": ports below 1024 need CAP_NET_BIND_SERVICE", ex);
			}
			throw new IOException("Cannot listen on " + where + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The address and port a socket is bound to.
	 * @param fd the socket
	 * @return its local address
	 */
	static InetSocketAddress localAddress(int fd) {
		byte[] buffer = new byte[SOCKADDR_IN6_LENGTH];
		LibC.INSTANCE.getsockname(fd, buffer, new IntByReference(buffer.length));
		try {
			return parse(buffer);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Close the socket the primary keeps on its standard input for workers to inherit,
	 * and put {@code /dev/null} there. Standard input is never left closed: the next file
	 * or socket opened would take file descriptor 0, and the next socket placed there
	 * would close it.
	 */
	static void releaseStandardInput() {
		try {
			int devNull = LibC.INSTANCE.open("/dev/null", LibC.O_RDONLY | LibC.O_CLOEXEC);
			// dup2 drops the close-on-exec flag: workers inherit /dev/null, as before the socket
			LibC.INSTANCE.dup2(devNull, LibC.STDIN);
			close(devNull);
		}
		catch (LastErrorException ex) {
			close(LibC.STDIN);
		}
	}

	/**
	 * Close a file descriptor, ignoring one that is closed already.
	 * @param fd the file descriptor
	 */
	static void close(int fd) {
		try {
			LibC.INSTANCE.close(fd);
		}
		catch (LastErrorException ex) {
			// Already closed
		}
	}

	private static OpenedSocket open(InetAddress address) {
		if (address instanceof Inet4Address) {
			return new OpenedSocket(LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_STREAM, 0), LibC.AF_INET);
		}
		try {
			int fd = LibC.INSTANCE.socket(LibC.AF_INET6, LibC.SOCK_STREAM, 0);
			// Like Java's own server sockets: the IPv6 wildcard accepts IPv4 too
			LibC.INSTANCE.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, new IntByReference(0), Integer.BYTES);
			return new OpenedSocket(fd, LibC.AF_INET6);
		}
		catch (LastErrorException ex) {
			if (address == null && ex.getErrorCode() == LibC.EAFNOSUPPORT) {
				return new OpenedSocket(LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_STREAM, 0), LibC.AF_INET);
			}
			throw ex;
		}
	}

	static byte[] socketAddress4(Inet4Address address, int port) {
		ByteBuffer buffer = ByteBuffer.allocate(SOCKADDR_IN_LENGTH).order(ByteOrder.nativeOrder());
		buffer.putShort((short) LibC.AF_INET);
		buffer.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
		buffer.put((address != null) ? address.getAddress() : new byte[4]);
		return buffer.array();
	}

	static byte[] socketAddress6(InetAddress address, int port) {
		ByteBuffer buffer = ByteBuffer.allocate(SOCKADDR_IN6_LENGTH).order(ByteOrder.nativeOrder());
		buffer.putShort((short) LibC.AF_INET6);
		buffer.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
		buffer.putInt(0);
		buffer.put((address != null) ? address.getAddress() : new byte[16]);
		int scope = (address instanceof Inet6Address inet6) ? inet6.getScopeId() : 0;
		buffer.order(ByteOrder.nativeOrder()).putInt(scope);
		return buffer.array();
	}

	static InetSocketAddress parse(byte[] socketAddress) throws UnknownHostException {
		ByteBuffer buffer = ByteBuffer.wrap(socketAddress).order(ByteOrder.BIG_ENDIAN);
		int port = Short.toUnsignedInt(buffer.getShort(2));
		byte[] address = (family(socketAddress) == LibC.AF_INET) ? Arrays.copyOfRange(socketAddress, 4, 8)
				: Arrays.copyOfRange(socketAddress, 8, 24);
		return new InetSocketAddress(InetAddress.getByAddress(address), port);
	}

	private static int family(byte[] socketAddress) {
		return ByteBuffer.wrap(socketAddress).order(ByteOrder.nativeOrder()).getShort(0);
	}

	private record OpenedSocket(int fd, int family) {
	}

}
