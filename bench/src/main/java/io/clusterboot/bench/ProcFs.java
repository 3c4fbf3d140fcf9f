package io.clusterboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.ToLongFunction;

/**
 * CPU time and memory of processes, from {@code /proc}.
 */
final class ProcFs {

	/** {@code getconf CLK_TCK} on Linux on x86 and ARM. */
	static final int TICKS_PER_SECOND = 100;

	private ProcFs() {
	}

	/**
	 * User and system CPU time of a process, all its threads, from a {@code stat} line.
	 * @param stat the content of {@code /proc/<pid>/stat}
	 * @return clock ticks
	 */
	static long cpuTicks(String stat) {
		return sum(fields(stat), 11, 12);
	}

	/**
	 * User and system CPU time of a process and of the children it waited for.
	 * @param stat the content of {@code /proc/<pid>/stat}
	 * @return clock ticks
	 */
	static long cpuTicksWithWaitedChildren(String stat) {
		return sum(fields(stat), 11, 12, 13, 14);
	}

	private static long sum(String[] fields, int... indexes) {
		long sum = 0;
		for (int index : indexes) {
			sum += Long.parseLong(fields[index]);
		}
		return sum;
	}

	private static String[] fields(String stat) {
		// The command name may hold spaces and parentheses: fields count from the last ')'
		return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
	}

	/**
	 * Resident and proportional memory of a process, from {@code smaps_rollup}.
	 * @param smapsRollup the content of {@code /proc/<pid>/smaps_rollup}
	 * @return its memory
	 */
	static Memory memory(String smapsRollup) {
		return new Memory(kilobytes(smapsRollup, "Rss:") * 1024, kilobytes(smapsRollup, "Pss:") * 1024);
	}

	private static long kilobytes(String text, String field) {
		for (String line : text.split("\n")) {
			if (line.startsWith(field)) {
				return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
			}
		}
		throw new IllegalArgumentException("No " + field + " line");
	}

	/**
	 * CPU seconds of some processes; ones that exited meanwhile count as 0.
	 * @param pids the processes
	 * @return seconds
	 */
	static double cpuSeconds(Collection<Long> pids) {
		return cpuSeconds(pids, ProcFs::cpuTicks);
	}

	/**
	 * CPU seconds of some processes and of the children they waited for.
	 * @param pids the processes
	 * @return seconds
	 */
	static double cpuSecondsWithWaitedChildren(Collection<Long> pids) {
		return cpuSeconds(pids, ProcFs::cpuTicksWithWaitedChildren);
	}

	private static double cpuSeconds(Collection<Long> pids, ToLongFunction<String> ticksOfStat) {
		long ticks = 0;
		for (long pid : pids) {
			try {
				ticks += ticksOfStat.applyAsLong(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
			}
			catch (IOException ex) {
				// Exited
			}
		}
		return (double) ticks / TICKS_PER_SECOND;
	}

	/**
	 * Memory of one process.
	 * @param pid the process
	 * @return its memory, or zero if it exited
	 */
	static Memory memory(long pid) {
		try {
			return memory(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
		}
		catch (IOException ex) {
			return new Memory(0, 0);
		}
	}

	/**
	 * Resident set size and proportional set size: PSS splits shared pages (the JDK's
	 * class-data archive, libjvm) between the processes that map them, so the PSS of a
	 * tree is what it costs the machine.
	 * @param rssBytes resident bytes
	 * @param pssBytes proportional bytes
	 */
	record Memory(long rssBytes, long pssBytes) {

		Memory plus(Memory other) {
			return new Memory(this.rssBytes + other.rssBytes, this.pssBytes + other.pssBytes);
		}

	}

}
