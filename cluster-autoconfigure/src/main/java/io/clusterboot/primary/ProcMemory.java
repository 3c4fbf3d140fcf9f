package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures read from {@code /proc} and control groups: a process's resident set,
 * the machine's available memory, a control group's page cache.
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
		long kilobytes = field(file, name);
		return (kilobytes >= 0) ? kilobytes * 1024 : -1;
	}

	/**
	 * A figure of a file of lines that each start with a name and its figure: a
	 * {@code /proc} file ({@code VmRSS:  1234 kB}) or a control group's
	 * {@code memory.stat} ({@code inactive_file 1234}).
	 * @param file the file
	 * @param name the field's name, as the file writes it
	 * @return the figure as written, or -1 where the file or field cannot be read
	 */
	static long field(Path file, String name) {
		try {
			for (String line : Files.readAllLines(file)) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length >= 2 && fields[0].equals(name)) {
					return Long.parseLong(fields[1]);
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Gone, or not Linux
		}
		return -1;
	}

}
