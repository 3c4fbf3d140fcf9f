package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures read from {@code /proc}: a process's resident set, the machine's
 * available memory.
 */
final class ProcMemory {

	private ProcMemory() {
	}

	/**
	 * The resident memory of a process.
	 * @param pid the process
	 * @return its resident bytes, or 0 where {@code /proc} cannot tell
	 */
	static long residentBytes(long pid) {
		return Math.max(0, kilobytesField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:"));
	}

	/**
	 * A figure in kB of a {@code /proc} file of {@code Name: value kB} lines, such as
	 * {@code status} or {@code meminfo}.
	 * @param file the file
	 * @param name the field's name, with its colon
	 * @return the figure in bytes, or -1 where the file or field cannot be read
	 */
	static long kilobytesField(Path file, String name) {
		try {
			for (String line : Files.readAllLines(file)) {
				if (line.startsWith(name)) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Gone, or not Linux
		}
		return -1;
	}

}
