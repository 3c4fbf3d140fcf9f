package io.clusterboot.primary;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.clusterboot.posix.LibC;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives back the memory the primary needed only to start: the primary runs in the JVM
 * the user launched, sized for the application, but from then on it only supervises.
 */
final class PrimaryFootprint {

	private static final Log logger = LogFactory.getLog(PrimaryFootprint.class);

	/**
	 * How often the C heap is trimmed again: the JIT keeps compiling the primary's code
	 * for minutes after start, and glibc keeps what its arenas freed (measured: 17 MB of
	 * 111 MB RSS after a load run). Every 10 s, not every minute, with an idle collection
	 * as often, kept the primary about 5 MB smaller in the minute after a load run.
	 */
	private static final long TRIM_INTERVAL_SECONDS = 10;

	private static final ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-footprint");
		thread.setDaemon(true);
		return thread;
	});

	private PrimaryFootprint() {
	}

	static void shrink() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		// Manageable flags: a collection then returns free heap to the operating system,
		// and an idle primary collects as often as it trims
		setFlag(hotspot, "MinHeapFreeRatio", "5");
		setFlag(hotspot, "MaxHeapFreeRatio", "10");
		setFlag(hotspot, "G1PeriodicGCInterval", Long.toString(TimeUnit.SECONDS.toMillis(TRIM_INTERVAL_SECONDS)));
		System.gc();
		trimNativeHeap();
		trimmer.scheduleWithFixedDelay(PrimaryFootprint::trimNativeHeap, TRIM_INTERVAL_SECONDS,
				TRIM_INTERVAL_SECONDS, TimeUnit.SECONDS);
	}

	private static void setFlag(HotSpotDiagnosticMXBean hotspot, String name, String value) {
		try {
			hotspot.setVMOption(name, value);
		}
		catch (IllegalArgumentException ex) {
			logger.debug("Cannot set " + name + " on this JVM: " + ex.getMessage());
		}
	}

	/**
	 * Return the C heap that start-up freed to the operating system, as
	 * {@code jcmd <pid> System.trim_native_heap} does.
	 */
	private static void trimNativeHeap() {
		try {
			LibC.INSTANCE.malloc_trim(0);
		}
		catch (LinkageError ex) {
			logger.debug("Cannot trim the native heap: not glibc");
		}
	}

}
