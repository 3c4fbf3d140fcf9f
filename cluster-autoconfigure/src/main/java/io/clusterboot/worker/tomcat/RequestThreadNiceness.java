package io.clusterboot.worker.tomcat;

import com.sun.jna.Platform;
import io.clusterboot.posix.Niceness;

/**
 * Lowers the scheduling priority of each thread that serves requests, once, as it starts
 * serving. Linux schedules threads, not processes: under full load a worker's one
 * compiler thread of each tier would get one share of the CPU among dozens of busy
 * request threads, and a new worker would run its request path in the interpreter and
 * C1's code for tens of seconds. Below the compiler threads' priority, requests wait for
 * the compiled code instead; once it is compiled, the compiler threads are idle and the
 * request threads have the CPU to themselves. Raising a nice value needs no privilege.
 */
final class RequestThreadNiceness {

	private final int niceness;

	private final ThreadLocal<Boolean> applied = ThreadLocal.withInitial(() -> Boolean.FALSE);

	/**
	 * Create an instance.
	 * @param niceness the nice value, 1 to 19
	 */
	RequestThreadNiceness(int niceness) {
		this.niceness = niceness;
	}

	/**
	 * Whether this applies at all: a nice value above 0, on Linux, where a nice value is
	 * a thread's (elsewhere it is the whole process's).
	 * @param niceness the configured nice value
	 * @return {@code true} if request threads get it
	 */
	static boolean applies(int niceness) {
		return niceness > 0 && Platform.isLinux();
	}

	/**
	 * Give the calling thread the nice value, unless it has it already.
	 */
	void applyToCurrentThread() {
		if (!this.applied.get()) {
			this.applied.set(Boolean.TRUE);
			Niceness.setForCallingThread(this.niceness);
		}
	}

}
