package io.clusterboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFsTests {

	@Test
	void cpuTicksAreUserPlusSystem() {
		String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 81907 0 0 0 812 97 0 0 20 0 45 0 1234 0 0";
		assertThat(ProcFs.cpuTicks(stat)).isEqualTo(909);
	}

	@Test
	void cpuTicksWithWaitedChildrenAddTheirUserAndSystem() {
		String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 81907 0 0 0 812 97 300 45 20 0 45 0 1234 0 0";
		assertThat(ProcFs.cpuTicks(stat)).isEqualTo(909);
		assertThat(ProcFs.cpuTicksWithWaitedChildren(stat)).isEqualTo(1254);
	}

	@Test
	void cpuTicksOfACommandNameWithSpacesAndParentheses() {
		String stat = "7 (C2 Compiler) (x)) R 1 7 7 0 -1 0 0 0 0 0 30 12 0 0 20 0 1 0 99 0 0";
		assertThat(ProcFs.cpuTicks(stat)).isEqualTo(42);
	}

	@Test
	void memoryFromSmapsRollup() {
		String rollup = """
				55a1c0000000-7ffd4a5f2000 ---p 00000000 00:00 0                          [rollup]
				Rss:               93984 kB
				Pss:               80012 kB
				Pss_Anon:          71492 kB
				""";
		ProcFs.Memory memory = ProcFs.memory(rollup);
		assertThat(memory.rssBytes()).isEqualTo(93984L * 1024);
		assertThat(memory.pssBytes()).isEqualTo(80012L * 1024);
		assertThat(memory.plus(memory).pssBytes()).isEqualTo(2 * 80012L * 1024);
	}

}
