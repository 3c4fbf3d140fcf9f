package io.clusterboot.primary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LeanWorkersTests {

	private static final List<String> COMMAND = List.of("/opt/jdk/bin/java", "-Xmx512m", "-jar", "app.jar");

	private static final List<String> NO_HEAP_SIZE = List.of("/opt/jdk/bin/java", "-jar", "app.jar");

	private static final String METASPACE = "-XX:MetaspaceSize=128m";

	/**
	 * The machine's processors, which a worker counts where its command line does not
	 * tell it: the JVM then chooses G1, whose young generation is left alone.
	 */
	private static final int PROCESSORS = 2;

	private static final String YOUNG = "-XX:NewRatio=5";

	private static final LeanWorkers LEAN = new LeanWorkers(false, 1.5625, List.of(), PROCESSORS);

	private static final LeanWorkers TRIMMING = new LeanWorkers(true, 1.5625, List.of(), PROCESSORS);

	@Test
	void trimsTheNativeHeapWhereTheJvmCan() {
		assertThat(TRIMMING.command(COMMAND, 2)).containsExactly("/opt/jdk/bin/java",
				"-XX:TrimNativeHeapInterval=5000", METASPACE, "-Xmx512m", "-jar", "app.jar");
		assertThat(LEAN.command(COMMAND, 2)).containsExactly("/opt/jdk/bin/java",
				METASPACE, "-Xmx512m", "-jar", "app.jar");
	}

	@Test
	void theUsersTrimIntervalWins() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:TrimNativeHeapInterval=0", "-Xmx1g", "-jar",
				"app.jar");
		assertThat(TRIMMING.command(command, 2))
			.containsExactly("/opt/jdk/bin/java", METASPACE, "-XX:TrimNativeHeapInterval=0", "-Xmx1g", "-jar", "app.jar");
	}

	@Test
	void eachWorkerStartsWithItsShareOfTheHeapOneJvmWouldStartWith() {
		assertThat(LEAN.command(NO_HEAP_SIZE, 2)).containsExactly("/opt/jdk/bin/java",
				"-XX:InitialRAMPercentage=0.78125", METASPACE, "-jar", "app.jar");
		assertThat(LEAN.command(NO_HEAP_SIZE, 4))
			.contains("-XX:InitialRAMPercentage=0.390625");
	}

	@Test
	void anApplicationArgumentDoesNotSetTheHeap() {
		List<String> command = List.of("/opt/jdk/bin/java", "-jar", "app.jar", "-Xmx1g");
		assertThat(LEAN.command(command, 2)).containsExactly("/opt/jdk/bin/java",
				"-XX:InitialRAMPercentage=0.78125", METASPACE, "-jar", "app.jar", "-Xmx1g");
	}

	@Test
	void oneWorkerStartsWithTheHeapOneJvmWouldStartWith() {
		assertThat(LEAN.command(NO_HEAP_SIZE, 1))
			.noneMatch((option) -> option.startsWith("-XX:InitialRAMPercentage="));
	}

	@ParameterizedTest
	@ValueSource(strings = { "-Xms64m", "-Xmx2g", "-Xmn32m", "-XX:InitialHeapSize=64m", "-XX:MaxHeapSize=1g",
			"-XX:MaxRAMPercentage=50", "-XX:InitialRAMPercentage=10", "-XX:MaxRAM=4g", "-XX:NewSize=16m" })
	void theUsersHeapSizeWins(String option) {
		List<String> command = List.of("/opt/jdk/bin/java", option, "-jar", "app.jar");
		assertThat(LEAN.command(command, 2))
			.containsExactly("/opt/jdk/bin/java", METASPACE, option, "-jar", "app.jar");
	}

	@Test
	void c2CompilesLaterUnlessTheUserTunesCompilation() {
		List<String> late = List.of("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4BackEdgeThreshold=400000");
		assertThat(new LeanWorkers(false, 1.5625, late, PROCESSORS).command(COMMAND, 2))
			.containsExactly("/opt/jdk/bin/java", "-XX:Tier4InvocationThreshold=50000",
					"-XX:Tier4BackEdgeThreshold=400000", METASPACE, "-Xmx512m", "-jar", "app.jar");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-XX:Tier4InvocationThreshold=1000", "-XX:CompileThresholdScaling=0.5",
			"-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation", "-Xint" })
	void theUsersCompilationSettingsWin(String option) {
		List<String> command = List.of("/opt/jdk/bin/java", option, "-Xmx1g", "-jar", "app.jar");
		LeanWorkers lean = new LeanWorkers(false, 1.5625, List.of("-XX:Tier4InvocationThreshold=50000"), PROCESSORS);
		assertThat(lean.command(command, 2)).containsExactly("/opt/jdk/bin/java", METASPACE, option,
				"-Xmx1g", "-jar", "app.jar");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-XX:MetaspaceSize=64m", "-XX:MaxMetaspaceSize=96m" })
	void theUsersMetaspaceSettingWins(String option) {
		List<String> command = List.of("/opt/jdk/bin/java", option, "-Xmx1g", "-jar", "app.jar");
		assertThat(LEAN.command(command, 2)).isEqualTo(command);
	}

	@Test
	void aWorkerToldItHasOneProcessorHasASmallerYoungGeneration() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=1", "-Xmx512m", "-jar",
				"app.jar");
		assertThat(LEAN.command(command, 2)).containsExactly("/opt/jdk/bin/java", METASPACE, YOUNG,
				"-XX:ActiveProcessorCount=1", "-Xmx512m", "-jar", "app.jar");
	}

	@Test
	void aWorkerOnAMachineWithOneProcessorHasASmallerYoungGeneration() {
		assertThat(new LeanWorkers(false, 1.5625, List.of(), 1).command(COMMAND, 2)).contains(YOUNG);
	}

	@Test
	void aWorkerToldItHasSeveralProcessorsKeepsItsYoungGeneration() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=2", "-jar", "app.jar");
		assertThat(new LeanWorkers(false, 1.5625, List.of(), 1).command(command, 2)).doesNotContain(YOUNG);
	}

	@Test
	void aWorkerWhoseLaunchChoosesTheSerialCollectorHasASmallerYoungGeneration() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=4", "-XX:+UseSerialGC", "-jar",
				"app.jar");
		assertThat(LEAN.command(command, 2)).contains(YOUNG);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseZGC" })
	void anotherCollectorKeepsItsYoungGeneration(String collector) {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=1", collector, "-jar", "app.jar");
		assertThat(LEAN.command(command, 2)).doesNotContain(YOUNG);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-Xmn32m", "-XX:NewSize=16m", "-XX:MaxNewSize=64m", "-XX:NewRatio=2" })
	void theUsersYoungGenerationWins(String option) {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=1", option, "-jar", "app.jar");
		assertThat(LEAN.command(command, 2)).doesNotContain(YOUNG).containsOnlyOnce(option);
	}

	@Test
	void anApplicationArgumentDoesNotChooseTheCollector() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:ActiveProcessorCount=1", "-jar", "app.jar",
				"-XX:+UseG1GC");
		assertThat(LEAN.command(command, 2)).contains(YOUNG);
	}

	@Test
	void fewMallocArenasUnlessTheUserChose() {
		Map<String, String> environment = new HashMap<>();
		TRIMMING.environment(environment);
		assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "2");
		environment.put("MALLOC_ARENA_MAX", "8");
		TRIMMING.environment(environment);
		assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "8");
	}

	@Test
	void thisJvmKnowsWhetherItCanTrimHowMuchHeapItStartsWithAndItsC2Thresholds() {
		boolean expected = Runtime.version().feature() > 17 || Runtime.version().update() >= 9;
		List<String> command = LeanWorkers.forThisJvm().command(NO_HEAP_SIZE, 2);
		assertThat(command.contains("-XX:TrimNativeHeapInterval=5000")).isEqualTo(expected);
		assertThat(command).anyMatch((option) -> option.startsWith("-XX:InitialRAMPercentage="));
		assertThat(command).contains("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000",
				"-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");
	}

}
