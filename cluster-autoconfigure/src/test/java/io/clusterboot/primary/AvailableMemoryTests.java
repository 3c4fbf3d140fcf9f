package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AvailableMemory}, on files laid out as {@code /proc} and
 * {@code /sys/fs/cgroup} lay them out.
 */
class AvailableMemoryTests {

	@TempDir
	Path proc;

	@TempDir
	Path cgroups;

	@Test
	void withoutALimitItIsTheMachines() throws IOException {
		meminfo(8_000_000);
		write(this.proc.resolve("self/cgroup"), "0::/user.slice\n");
		assertThat(available()).isEqualTo(8_000_000L * 1024);
	}

	@Test
	void aSystemdUnitsLimitAboveTheGroupCounts() throws IOException {
		meminfo(8_000_000);
		write(this.proc.resolve("self/cgroup"), "0::/system.slice/app.service\n");
		write(this.cgroups.resolve("system.slice/memory.max"), "500000000\n");
		write(this.cgroups.resolve("system.slice/memory.current"), "100000000\n");
		write(this.cgroups.resolve("system.slice/app.service/memory.max"), "max\n");
		write(this.cgroups.resolve("system.slice/app.service/memory.current"), "90000000\n");
		assertThat(available()).isEqualTo(400_000_000L);
	}

	@Test
	void pageCacheTheKernelCanReclaimIsRoom() throws IOException {
		meminfo(8_000_000);
		write(this.proc.resolve("self/cgroup"), "0::/\n");
		write(this.cgroups.resolve("memory.max"), "1000000000\n");
		write(this.cgroups.resolve("memory.current"), "900000000\n");
		write(this.cgroups.resolve("memory.stat"), "anon 500000000\nfile 400000000\ninactive_file 300000000\n");
		assertThat(available()).isEqualTo(400_000_000L);
	}

	@Test
	void aVersionOneMemoryControllersLimitCounts() throws IOException {
		meminfo(8_000_000);
		write(this.proc.resolve("self/cgroup"), "5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n");
		Path group = this.cgroups.resolve("memory/docker/abc");
		write(group.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
		write(group.resolve("memory.usage_in_bytes"), "250000000\n");
		write(this.cgroups.resolve("memory/docker/memory.limit_in_bytes"), "300000000\n");
		write(this.cgroups.resolve("memory/docker/memory.usage_in_bytes"), "250000000\n");
		assertThat(available()).isEqualTo(50_000_000L);
	}

	@Test
	void aGroupOverItsLimitHasNoRoom() throws IOException {
		meminfo(8_000_000);
		write(this.proc.resolve("self/cgroup"), "0::/\n");
		write(this.cgroups.resolve("memory.max"), "100\n");
		write(this.cgroups.resolve("memory.current"), "150\n");
		assertThat(available()).isZero();
	}

	@Test
	void nothingToReadIsUnknown() {
		assertThat(available()).isEqualTo(-1);
	}

	private long available() {
		return new AvailableMemory(this.proc, this.cgroups).bytes();
	}

	private void meminfo(long availableKilobytes) throws IOException {
		write(this.proc.resolve("meminfo"),
				"MemTotal:       24683520 kB\nMemFree:        23000000 kB\nMemAvailable:   " + availableKilobytes
						+ " kB\n");
	}

	private static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

}
