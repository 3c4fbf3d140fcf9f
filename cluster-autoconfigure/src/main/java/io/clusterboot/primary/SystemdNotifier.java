package io.clusterboot.primary;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import io.clusterboot.posix.LibC;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells systemd about the cluster with the {@code sd_notify} protocol: datagrams of
 * {@code KEY=value} lines to the socket named in {@code NOTIFY_SOCKET}, which may be
 * abstract ({@code @…}). {@code READY=1} waits for every worker, reloads are announced
 * for {@code Type=notify-reload}, and {@code WATCHDOG=1} comes from the supervisor's loop
 * only while it runs.
 */
final class SystemdNotifier implements ServiceManager {

	static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

	static final String WATCHDOG_USEC = "WATCHDOG_USEC";

	static final String WATCHDOG_PID = "WATCHDOG_PID";

	private static final Log logger = LogFactory.getLog(SystemdNotifier.class);

	private static final int SUN_PATH_OFFSET = 2;

	private static final int SUN_PATH_LENGTH = 108;

	private final Memory address;

	private final int addressLength;

	private final Duration watchdogInterval;

	private final int fd;

	private boolean failed;

	private SystemdNotifier(Memory address, int addressLength, Duration watchdogInterval, int fd) {
		this.address = address;
		this.addressLength = addressLength;
		this.watchdogInterval = watchdogInterval;
		this.fd = fd;
	}

	/**
	 * The notifier for the service manager that started this process, if one listens.
	 * @param environment this process's environment
	 * @param pid this process's id
	 * @return the notifier, or {@link ServiceManager#NONE}
	 */
	static ServiceManager fromEnvironment(Map<String, String> environment, long pid) {
		String socket = environment.get(NOTIFY_SOCKET);
		if (socket == null || socket.isEmpty() || !Platform.isLinux()) {
			return NONE;
		}
		byte[] path = socket.getBytes(StandardCharsets.UTF_8);
		boolean abstractName = path[0] == '@';
		if ((!abstractName && path[0] != '/') || path.length >= SUN_PATH_LENGTH) {
			logger.warn("Not notifying systemd: NOTIFY_SOCKET is neither an absolute path nor an abstract name: "
					+ socket);
			return NONE;
		}
		Memory address = new Memory(SUN_PATH_OFFSET + SUN_PATH_LENGTH);
		address.clear();
		address.setShort(0, (short) LibC.AF_UNIX);
		address.write(SUN_PATH_OFFSET, path, 0, path.length);
		if (abstractName) {
			// An abstract name starts with a NUL byte and has no terminating one
			address.setByte(SUN_PATH_OFFSET, (byte) 0);
		}
		int length = SUN_PATH_OFFSET + path.length + (abstractName ? 0 : 1);
		int fd;
		try {
			fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
		}
		catch (LastErrorException ex) {
			logger.warn("Not notifying systemd: cannot open a datagram socket: " + ex.getMessage());
			return NONE;
		}
		return new SystemdNotifier(address, length, watchdogInterval(environment, pid), fd);
	}

	/**
	 * Half the watchdog timeout systemd set, as {@code sd_watchdog_enabled(3)} advises,
	 * if it watches this process.
	 */
	private static Duration watchdogInterval(Map<String, String> environment, long pid) {
		String usec = environment.get(WATCHDOG_USEC);
		String watchedPid = environment.get(WATCHDOG_PID);
		if (usec == null || (watchedPid != null && !watchedPid.equals(Long.toString(pid)))) {
			return null;
		}
		try {
			long micros = Long.parseLong(usec.trim());
			return (micros > 0) ? Duration.ofNanos(micros * 1000 / 2) : null;
		}
		catch (NumberFormatException ex) {
			logger.warn("Ignoring WATCHDOG_USEC=" + usec + ": not a number of microseconds");
			return null;
		}
	}

	@Override
	public void ready() {
		send("READY=1");
	}

	@Override
	public void reloading(long monotonicMicros) {
		// systemd waits for a reload that announces itself without the time
		send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros);
	}

	@Override
	public void stopping() {
		send("STOPPING=1");
	}

	@Override
	public void status(String status) {
		send("STATUS=" + status.replace('\n', ' '));
	}

	@Override
	public Duration watchdogInterval() {
		return this.watchdogInterval;
	}

	@Override
	public void watchdog() {
		send("WATCHDOG=1");
	}

	private void send(String state) {
		byte[] message = state.getBytes(StandardCharsets.UTF_8);
		try {
			LibC.INSTANCE.sendto(this.fd, message, message.length, LibC.MSG_NOSIGNAL, this.address,
					this.addressLength);
			this.failed = false;
		}
		catch (LastErrorException ex) {
			// systemd may restart; log once per run of failures, not every second
			if (!this.failed) {
				logger.warn("Could not notify systemd (" + state.lines().findFirst().orElse("") + "): "
						+ ex.getMessage());
			}
			this.failed = true;
		}
	}

}
