package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory new processes can have before something is swapped or killed: the
 * machine's {@code MemAvailable}, and less where the primary's control group (a
 * container, a systemd unit's {@code MemoryMax=}) or one above it has a lower limit.
 */
final class AvailableMemory {

	/** Limits at or above this mean none (cgroup v1 writes one just below 2^63). */
	private static final long UNLIMITED = 1L << 62;

	private final Path proc;

	private final Path cgroups;

	/**
	 * Read from the given roots.
	 * @param proc where {@code /proc} is
	 * @param cgroups where {@code /sys/fs/cgroup} is
	 */
	AvailableMemory(Path proc, Path cgroups) {
		this.proc = proc;
		this.cgroups = cgroups;
	}

	/**
	 * This machine's.
	 * @return reads the real {@code /proc} and {@code /sys/fs/cgroup}
	 */
	static AvailableMemory ofThisMachine() {
		return new AvailableMemory(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
	}

	/**
	 * The available bytes now.
	 * @return the lower of the machine's and the control groups' room, or -1 where
	 * neither can be read
	 */
	long bytes() {
		long available = ProcMemory.kilobytesField(this.proc.resolve("meminfo"), "MemAvailable:");
		try {
			for (String line : Files.readAllLines(this.proc.resolve("self/cgroup"))) {
				String[] fields = line.split(":", 3);
				if (fields.length < 3) {
					continue;
				}
				if (fields[0].equals("0") && fields[1].isEmpty()) {
					available = lower(available,
							room(this.cgroups, fields[2], "memory.max", "memory.current", "inactive_file"));
				}
				else if (List.of(fields[1].split(",")).contains("memory")) {
					available = lower(available, room(this.cgroups.resolve("memory"), fields[2],
							"memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"));
				}
			}
		}
		catch (IOException ex) {
			// No control groups to read
		}
		return available;
	}

	/**
	 * The least room under a limit, from a control group up to the hierarchy's root.
	 * Usage counts page cache, which the kernel reclaims before it kills: its inactive
	 * part does not count, as for the working set the kubelet evicts by.
	 */
	private static long room(Path root, String group, String limitFile, String usageFile, String inactiveFileKey) {
		long room = -1;
		Path directory = root.resolve(group.replaceFirst("^/+", "")).normalize();
		while (directory != null && directory.startsWith(root)) {
			long limit = read(directory.resolve(limitFile));
			long usage = read(directory.resolve(usageFile));
			if (limit >= 0 && limit < UNLIMITED && usage >= 0) {
				long inactiveFile = ProcMemory.field(directory.resolve("memory.stat"), inactiveFileKey);
				long workingSet = Math.max(0, usage - Math.max(0, inactiveFile));
				room = lower(room, Math.max(0, limit - workingSet));
			}
			directory = directory.getParent();
		}
		return room;
	}

	private static long read(Path file) {
		try {
			String value = Files.readString(file).trim();
			return value.equals("max") ? Long.MAX_VALUE : Long.parseLong(value);
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/** The lower of two figures, where -1 is unknown. */
	private static long lower(long a, long b) {
		return (a < 0) ? b : (b < 0) ? a : Math.min(a, b);
	}

}
