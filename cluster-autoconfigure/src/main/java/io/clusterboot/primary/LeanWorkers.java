package io.clusterboot.primary;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Defaults for worker JVMs, each applied only where the user's launch does not set it. A
 * worker is one of N JVMs on the machine, so what one JVM keeps and never uses costs N
 * times, and N JVMs boot on the cores of one.
 * <ul>
 * <li>{@code MALLOC_ARENA_MAX=2}: glibc gives each thread that allocates its own arena,
 * up to 8 per core, and a Tomcat worker has hundreds of threads; the JVM allocates its
 * heap itself, so few arenas suffice.</li>
 * <li>{@code -XX:TrimNativeHeapInterval}: the JVM returns freed C heap (compiler
 * arenas, for example) to the operating system, where the JVM has the option (JDK
 * 17.0.9 and later).</li>
 * <li>{@code -XX:InitialRAMPercentage}: each of N workers starts with 1/N of the heap
 * one JVM would start with. The young generation is sized from it, and a worker under
 * load touches all of it (measured: 116 of a worker's 254 MB RSS), while the data it
 * keeps is small; each worker serves 1/N of the traffic. Only where the user sets no
 * heap size at all; the maximum heap is left as the JVM chooses.</li>
 * <li>C2 thresholds ten times the JVM's ({@code -XX:Tier4*Threshold}): a booting Spring
 * application runs thousands of methods a few thousand times each, and compiling them
 * with C2 took over a third of a worker's start (measured alone on one core: 4.6 to
 * 5.7 s, and 3.6 to 3.8 s with these thresholds). Code that stays hot under traffic
 * reaches them within seconds: steady throughput was not lower in two side-by-side
 * runs, though one full bench on a loaded machine had the cluster at 0.96x one JVM
 * (see the README). Only where the user's launch tunes no compilation option.</li>
 * <li>{@code -XX:MetaspaceSize=128m}: the JVM collects when class metadata first
 * reaches 21 MB, and again at each higher mark, which with the serial collector of a
 * one-core worker is a full collection; a booting Spring application loads 45 MB (the
 * sample) to 95 MB (PetClinic). Measured on the sample: two full collections of 37 and
 * 76 ms in each worker's start are gone. It only moves when metadata is first
 * collected; it reserves and commits nothing. Only where the user's launch sets neither
 * it nor {@code -XX:MaxMetaspaceSize}.</li>
 * <li>{@code -XX:NewRatio=5}, where the worker runs the serial collector (one processor
 * each, or chosen on the launch): its young generation is a sixth of its heap instead of
 * a third. A worker under load touches all of its young generation, which for 1/N of the
 * traffic need not be as large: measured under full load on the sample, 30 MB less PSS
 * per worker (205 to 175 MB), for young collections twice as often, which took 1.5% of
 * a worker's CPU instead of 0.7%. Only where the launch sizes no young generation.</li>
 * </ul>
 */
final class LeanWorkers {

	static final String ARENAS_VARIABLE = "MALLOC_ARENA_MAX";

	static final String ARENAS = "2";

	static final String TRIM_OPTION = "-XX:TrimNativeHeapInterval=";

	static final String TRIM_INTERVAL_MILLIS = "5000";

	static final String INITIAL_HEAP_OPTION = "-XX:InitialRAMPercentage=";

	static final String METASPACE_OPTION = "-XX:MetaspaceSize=128m";

	private static final List<String> METASPACE_OPTIONS = List.of("-XX:MetaspaceSize=", "-XX:MaxMetaspaceSize=");

	static final String YOUNG_GENERATION_OPTION = "-XX:NewRatio=5";

	/** Options by which a launch sizes the young generation itself. */
	private static final List<String> YOUNG_GENERATION_OPTIONS = List.of("-Xmn", "-XX:NewSize=", "-XX:MaxNewSize=",
			"-XX:NewRatio=");

	/** Collectors other than the serial one, which size their young generation otherwise. */
	private static final List<String> OTHER_COLLECTORS = List.of("-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseZGC",
			"-XX:+UseShenandoahGC", "-XX:+UseEpsilonGC");

	private static final String SERIAL_COLLECTOR = "-XX:+UseSerialGC";

	/** Options by which a launch sizes the heap itself. */
	private static final List<String> HEAP_SIZE_OPTIONS = List.of("-Xms", "-Xmx", "-Xmn", "-XX:InitialHeapSize=",
			"-XX:MaxHeapSize=", "-XX:MinHeapSize=", "-XX:NewSize=", "-XX:MaxNewSize=", "-XX:InitialRAMPercentage=",
			"-XX:MaxRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:InitialRAMFraction=", "-XX:MaxRAMFraction=",
			"-XX:MinRAMFraction=", "-XX:MaxRAM=");

	/** The C2 thresholds, raised together so that the policy's proportions stay. */
	private static final List<String> C2_THRESHOLDS = List.of("Tier4InvocationThreshold", "Tier4MinInvocationThreshold",
			"Tier4CompileThreshold", "Tier4BackEdgeThreshold");

	private static final int C2_THRESHOLD_FACTOR = 10;

	/** Options by which a launch chooses when, or whether, the JIT compiles. */
	private static final List<String> COMPILATION_OPTIONS = List.of("-XX:Tier4", "-XX:CompileThresholdScaling=",
			"-XX:CompileThreshold=", "-XX:TieredStopAtLevel=", "-XX:-TieredCompilation", "-Xint", "-Xcomp");

	private final boolean trimSupported;

	private final double initialRamPercentage;

	private final List<String> lateC2Options;

	private final int availableProcessors;

	/**
	 * Lean defaults for workers.
	 * @param trimSupported whether the JVM has {@code -XX:TrimNativeHeapInterval}
	 * @param initialRamPercentage the share of memory one JVM starts its heap with
	 * @param lateC2Options the options that raise the JVM's C2 thresholds, empty where it
	 * has none
	 * @param availableProcessors the processors a worker counts where its command line
	 * does not tell it
	 */
	LeanWorkers(boolean trimSupported, double initialRamPercentage, List<String> lateC2Options,
			int availableProcessors) {
		this.trimSupported = trimSupported;
		this.initialRamPercentage = initialRamPercentage;
		this.lateC2Options = lateC2Options;
		this.availableProcessors = availableProcessors;
	}

	/**
	 * Lean defaults for workers that run on this JVM's {@code java}.
	 * @return the defaults this JVM supports
	 */
	static LeanWorkers forThisJvm() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		return new LeanWorkers(option(hotspot, "TrimNativeHeapInterval") != null,
				Double.parseDouble(option(hotspot, "InitialRAMPercentage")), lateC2Options(hotspot),
				Runtime.getRuntime().availableProcessors());
	}

	private static List<String> lateC2Options(HotSpotDiagnosticMXBean hotspot) {
		List<String> options = new ArrayList<>();
		for (String name : C2_THRESHOLDS) {
			String value = option(hotspot, name);
			if (value == null) {
				return List.of();
			}
			options.add("-XX:" + name + "=" + Long.parseLong(value) * C2_THRESHOLD_FACTOR);
		}
		return options;
	}

	private static String option(HotSpotDiagnosticMXBean hotspot, String name) {
		try {
			return hotspot.getVMOption(name).getValue();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Add the JVM options, before the jar or main class.
	 * @param command a worker's command line
	 * @param workers how many workers share the machine
	 * @return the command line with the defaults the user did not set
	 */
	List<String> command(List<String> command, int workers) {
		List<String> lean = new ArrayList<>(command);
		if (runsSerialCollector(command) && !sets(command, YOUNG_GENERATION_OPTIONS)) {
			lean.add(1, YOUNG_GENERATION_OPTION);
		}
		if (!sets(command, METASPACE_OPTIONS)) {
			lean.add(1, METASPACE_OPTION);
		}
		if (this.trimSupported && !sets(command, List.of(TRIM_OPTION))) {
			lean.add(1, TRIM_OPTION + TRIM_INTERVAL_MILLIS);
		}
		if (workers > 1 && !sets(command, HEAP_SIZE_OPTIONS)) {
			lean.add(1, INITIAL_HEAP_OPTION + this.initialRamPercentage / workers);
		}
		if (!sets(command, COMPILATION_OPTIONS)) {
			lean.addAll(1, this.lateC2Options);
		}
		return lean;
	}

	/**
	 * Whether the worker's JVM runs the serial collector: chosen on the launch, or chosen
	 * by the JVM for a single processor (its share, as the command line tells it) when the
	 * launch names no collector.
	 */
	private boolean runsSerialCollector(List<String> command) {
		int processors = WorkerCommand.activeProcessorCount(command).orElse(this.availableProcessors);
		return sets(command, List.of(SERIAL_COLLECTOR)) || (processors == 1 && !sets(command, OTHER_COLLECTORS));
	}

	private static boolean sets(List<String> command, List<String> prefixes) {
		return WorkerCommand.jvmOptions(command).stream()
			.anyMatch((option) -> prefixes.stream().anyMatch(option::startsWith));
	}

	/**
	 * Add the environment variables.
	 * @param environment a worker's environment, inherited from the primary
	 */
	void environment(Map<String, String> environment) {
		environment.putIfAbsent(ARENAS_VARIABLE, ARENAS);
	}

}
