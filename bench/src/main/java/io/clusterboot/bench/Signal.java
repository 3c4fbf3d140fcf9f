package io.clusterboot.bench;

import java.io.IOException;

/**
 * A signal to a process this benchmark started, by PID.
 */
final class Signal {

	private Signal() {
	}

	static void send(String signal, long pid) throws IOException {
		try {
			int code = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
			if (code != 0) {
				throw new IOException("kill -" + signal + " " + pid + " failed with " + code);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

}
