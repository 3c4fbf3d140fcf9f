package io.clusterboot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * A live view of the cluster in the terminal, like {@code pm2 monit}: the status table,
 * redrawn every second until the user types {@code q} and Enter, or presses Ctrl-C.
 */
final class Top {

	private static final String CLEAR_SCREEN = "\033[H\033[2J";

	private static final long POLL_MILLIS = 50;

	private Top() {
	}

	/**
	 * Redraw until the user quits or the cluster stops.
	 * @param client the connection to the primary
	 * @param out the terminal
	 * @param in what the user types
	 * @param interval how often to redraw
	 */
	static void run(AdminClient client, PrintStream out, InputStream in, Duration interval) {
		while (true) {
			String table = StatusTable.render(client.status());
			out.print(CLEAR_SCREEN + "Cluster at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
					+ "    (q and Enter, or Ctrl-C, to quit)\n\n" + table);
			out.flush();
			if (quitWithin(in, interval)) {
				return;
			}
		}
	}

	private static boolean quitWithin(InputStream in, Duration interval) {
		long deadline = System.nanoTime() + interval.toNanos();
		try {
			while (System.nanoTime() - deadline < 0) {
				while (in.available() > 0) {
					if (in.read() == 'q') {
						return true;
					}
				}
				Thread.sleep(POLL_MILLIS);
			}
			return false;
		}
		catch (IOException ex) {
			// No terminal to read from: redraw until Ctrl-C
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

}
