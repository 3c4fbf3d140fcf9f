package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident set size from {@code /proc}.
 */
final class ResidentMemory {

	private ResidentMemory() {
	}

	/**
	 * The resident memory of a process.
	 * @param pid the process
	 * @return its resident bytes, or 0 where {@code /proc} cannot tell
	 */
	static long of(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Gone, or not Linux
		}
		return 0;
	}

}
