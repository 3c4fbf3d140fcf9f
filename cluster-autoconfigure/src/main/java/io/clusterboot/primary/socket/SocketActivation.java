package io.clusterboot.primary.socket;

import java.util.Map;
import java.util.OptionalInt;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The listening socket systemd passed this process, as {@code sd_listen_fds(3)} reads
 * it: file descriptor 3, when {@code LISTEN_PID} names this process and
 * {@code LISTEN_FDS} counts at least one. The socket outlives the primary in systemd, so
 * connections wait in it while the whole service restarts.
 */
public final class SocketActivation {

	private static final Log logger = LogFactory.getLog(SocketActivation.class);

	public static final String LISTEN_PID = "LISTEN_PID";

	public static final String LISTEN_FDS = "LISTEN_FDS";

	private static final int FIRST_FD = 3;

	private SocketActivation() {
	}

	/**
	 * The socket systemd passed, if it passed one to this process.
	 * @param environment this process's environment
	 * @param pid this process's id
	 * @return the socket's file descriptor, or empty without socket activation
	 */
	public static OptionalInt listeningSocket(Map<String, String> environment, long pid) {
		String listenPid = environment.get(LISTEN_PID);
		String listenFds = environment.get(LISTEN_FDS);
		if (listenPid == null || listenFds == null) {
			return OptionalInt.empty();
		}
		try {
			if (Long.parseLong(listenPid.trim()) != pid) {
				// Meant for another process, such as a shell that started this one
				return OptionalInt.empty();
			}
			int count = Integer.parseInt(listenFds.trim());
			if (count < 1) {
				return OptionalInt.empty();
			}
			if (count > 1) {
				logger.warn("systemd passed " + count + " sockets (LISTEN_FDS); the cluster serves the first, fd "
						+ FIRST_FD + ", and ignores the others");
			}
			return OptionalInt.of(FIRST_FD);
		}
		catch (NumberFormatException ex) {
			logger.warn("Ignoring socket activation: LISTEN_PID=" + listenPid + " and LISTEN_FDS=" + listenFds
					+ " are not numbers");
			return OptionalInt.empty();
		}
	}

}
