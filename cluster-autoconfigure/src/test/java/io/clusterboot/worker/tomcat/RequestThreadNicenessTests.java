package io.clusterboot.worker.tomcat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link RequestThreadNiceness}.
 */
class RequestThreadNicenessTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void appliesToANiceValueAboveZeroOnLinux() {
		assertThat(RequestThreadNiceness.applies(0)).isFalse();
		assertThat(RequestThreadNiceness.applies(1)).isTrue();
		assertThat(RequestThreadNiceness.applies(19)).isTrue();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theCallingThreadGetsTheNiceValueAndOtherThreadsKeepTheirs() throws Exception {
		RequestThreadNiceness niceness = new RequestThreadNiceness(7);
		int ours = ownNiceValue();
		// Only privilege lowers a nice value: a build that runs niced above 7 shows nothing
		assumeThat(ours).isLessThan(7);
		ExecutorService requestThread = Executors.newSingleThreadExecutor();
		try {
			int before = CompletableFuture.supplyAsync(RequestThreadNicenessTests::ownNiceValue, requestThread).get();
			int after = CompletableFuture.supplyAsync(() -> {
				niceness.applyToCurrentThread();
				niceness.applyToCurrentThread();
				return ownNiceValue();
			}, requestThread).get();
			assertThat(before).isEqualTo(ours);
			assertThat(after).isEqualTo(7);
			// The nice value is the thread's: this one is untouched
			assertThat(ownNiceValue()).isEqualTo(ours);
		}
		finally {
			requestThread.shutdownNow();
		}
	}

	/**
	 * The calling thread's nice value, field 19 of its {@code stat}, after the name,
	 * which may hold spaces and parentheses.
	 */
	private static int ownNiceValue() {
		try {
			String stat = Files.readString(Path.of("/proc/thread-self/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Integer.parseInt(fields[16]);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
