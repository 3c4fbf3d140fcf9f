package io.clusterboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.awaitility.Awaitility;

/**
 * A datagram socket that listens as systemd's notification socket does, on an abstract
 * name, for {@code NOTIFY_SOCKET}: the JDK has no Unix datagram sockets, so it uses the C
 * library through JNA, as the starter does.
 */
final class NotifySocket implements AutoCloseable {

	private static final int AF_UNIX = 1;

	private static final int SOCK_DGRAM = 2;

	private static final int SOL_SOCKET = 1;

	private static final int SO_RCVTIMEO = 20;

	private final String name = "@cluster-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	private final int fd;

	private final List<Received> messages = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile boolean closed;

	NotifySocket() {
		this.fd = C.LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
		byte[] path = this.name.getBytes(StandardCharsets.UTF_8);
		Memory address = new Memory(110);
		address.clear();
		address.setShort(0, (short) AF_UNIX);
		// An abstract name: a NUL byte where the path starts, then the name without '@'
		address.write(3, path, 1, path.length - 1);
		C.LIBC.bind(this.fd, address, 2 + path.length);
		// Wake up now and then to see whether the socket was closed
		Memory timeout = new Memory(16);
		timeout.setLong(0, 0);
		timeout.setLong(8, 200_000);
		C.LIBC.setsockopt(this.fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
		this.reader = new Thread(this::read, "notify-socket");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * The value for {@code NOTIFY_SOCKET}.
	 * @return the socket's name, {@code @…}
	 */
	String name() {
		return this.name;
	}

	List<Received> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * Wait for a message.
	 * @param condition what the message says
	 * @return the first message that matches
	 */
	Received await(Predicate<String> condition) {
		return await(condition, null);
	}

	/**
	 * Wait for a message after another one.
	 * @param condition what the message says
	 * @param after the message it must follow, {@code null} for any
	 * @return the first message after that one that matches
	 */
	Received await(Predicate<String> condition, Received after) {
		return Awaitility.await().atMost(Duration.ofSeconds(120))
			.until(() -> this.messages.stream()
				.filter((message) -> after == null || message.nanoTime() > after.nanoTime())
				.filter((message) -> condition.test(message.text()))
				.findFirst(), Optional::isPresent)
			.get();
	}

	private void read() {
		byte[] buffer = new byte[4096];
		while (!this.closed) {
			try {
				int length = C.LIBC.recv(this.fd, buffer, buffer.length, 0);
				this.messages.add(new Received(new String(buffer, 0, length, StandardCharsets.UTF_8),
						System.nanoTime()));
			}
			catch (LastErrorException ex) {
				// Timed out: look at closed again
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.reader.join(Duration.ofSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		C.LIBC.close(this.fd);
	}

	/**
	 * A message, and when it arrived.
	 *
	 * @param text the message, {@code KEY=value} lines
	 * @param nanoTime its arrival, on {@link System#nanoTime()}
	 */
	record Received(String text, long nanoTime) {
	}

	interface C extends Library {

		C LIBC = Native.load(Platform.C_LIBRARY_NAME, C.class);

		int socket(int domain, int type, int protocol) throws LastErrorException;

		int bind(int fd, Pointer address, int length) throws LastErrorException;

		int setsockopt(int fd, int level, int option, Pointer value, int length) throws LastErrorException;

		int recv(int fd, byte[] buffer, int length, int flags) throws LastErrorException;

		int close(int fd) throws LastErrorException;

	}

}
