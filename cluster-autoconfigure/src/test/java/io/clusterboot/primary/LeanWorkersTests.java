package io.clusterboot.primary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeanWorkersTests {

	private static final List<String> COMMAND = List.of("/opt/jdk/bin/java", "-Xmx512m", "-jar", "app.jar");

	@Test
	void trimsTheNativeHeapWhereTheJvmCan() {
		assertThat(new LeanWorkers(true).command(COMMAND)).containsExactly("/opt/jdk/bin/java",
				"-XX:TrimNativeHeapInterval=5000", "-Xmx512m", "-jar", "app.jar");
		assertThat(new LeanWorkers(false).command(COMMAND)).isEqualTo(COMMAND);
	}

	@Test
	void theUsersTrimIntervalWins() {
		List<String> command = List.of("/opt/jdk/bin/java", "-XX:TrimNativeHeapInterval=0", "-jar", "app.jar");
		assertThat(new LeanWorkers(true).command(command)).isEqualTo(command);
	}

	@Test
	void fewMallocArenasUnlessTheUserChose() {
		Map<String, String> environment = new HashMap<>();
		new LeanWorkers(true).environment(environment);
		assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "2");
		environment.put("MALLOC_ARENA_MAX", "8");
		new LeanWorkers(true).environment(environment);
		assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "8");
	}

	@Test
	void thisJvmKnowsWhetherItCanTrim() {
		boolean expected = Runtime.version().feature() > 17 || Runtime.version().update() >= 9;
		assertThat(LeanWorkers.forThisJvm().command(COMMAND).contains("-XX:TrimNativeHeapInterval=5000"))
			.isEqualTo(expected);
	}

}
