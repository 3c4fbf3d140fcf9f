package io.clusterboot.primary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import io.clusterboot.posix.LibC;
import io.clusterboot.posix.ProcessLaunches;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Pins each worker to one CPU ({@code cluster.cpu-affinity}): worker {@code i} to the
 * {@code i}-th of the CPUs the primary may use, round robin. A process inherits the CPUs
 * of the thread that starts it, so the launching thread narrows its own set for the
 * moment of the launch, and every thread of the worker's JVM is pinned from its first
 * instruction.
 */
final class CpuAffinity {

	private static final Log logger = LogFactory.getLog(CpuAffinity.class);

	private static final int MASK_WORDS = 16;

	private final List<Integer> allowed;

	private CpuAffinity(List<Integer> allowed) {
		this.allowed = allowed;
	}

	/**
	 * Affinity over the CPUs this process may use, where the platform can pin.
	 * @return the affinity, or {@code null} where CPUs cannot be pinned
	 */
	static CpuAffinity forThisProcess() {
		if (!Platform.isLinux()) {
			logger.warn("cluster.cpu-affinity needs Linux; workers run on every CPU");
			return null;
		}
		long[] mask = new long[MASK_WORDS];
		LibC.INSTANCE.sched_getaffinity(0, mask.length * Long.BYTES, mask);
		List<Integer> allowed = new ArrayList<>();
		for (int cpu = 0; cpu < mask.length * Long.SIZE; cpu++) {
			if ((mask[cpu / Long.SIZE] & (1L << (cpu % Long.SIZE))) != 0) {
				allowed.add(cpu);
			}
		}
		return new CpuAffinity(List.copyOf(allowed));
	}

	/**
	 * The CPU a worker runs on.
	 * @param workerId the worker's id, from 1
	 * @return the CPU's number
	 */
	int cpuOf(int workerId) {
		return this.allowed.get((workerId - 1) % this.allowed.size());
	}

	/**
	 * Start a process pinned to one CPU.
	 * @param cpu the CPU
	 * @param builder the process
	 * @return the started process
	 * @throws IOException if it cannot be started
	 */
	Process start(int cpu, ProcessBuilder builder) throws IOException {
		long[] own = new long[MASK_WORDS];
		LibC.INSTANCE.sched_getaffinity(0, own.length * Long.BYTES, own);
		long[] pinned = new long[MASK_WORDS];
		pinned[cpu / Long.SIZE] = 1L << (cpu % Long.SIZE);
		try {
			LibC.INSTANCE.sched_setaffinity(0, pinned.length * Long.BYTES, pinned);
			return ProcessLaunches.start(builder);
		}
		catch (LastErrorException ex) {
			throw new IOException("Cannot pin a worker to CPU " + cpu + ": " + ex.getMessage(), ex);
		}
		finally {
			LibC.INSTANCE.sched_setaffinity(0, own.length * Long.BYTES, own);
		}
	}

}
