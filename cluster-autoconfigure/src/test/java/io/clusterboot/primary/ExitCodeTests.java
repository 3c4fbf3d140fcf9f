package io.clusterboot.primary;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodeTests {

	@Test
	void describesCodesAndSignals() {
		assertThat(ExitCode.describe(0, false)).isEqualTo("exited with code 0");
		assertThat(ExitCode.describe(1, false)).isEqualTo("exited with code 1");
		assertThat(ExitCode.describe(137, false)).isEqualTo("exited on SIGKILL (137): killed, possibly out of memory");
		assertThat(ExitCode.describe(137, true)).isEqualTo("exited on SIGKILL (137): killed by the primary");
		assertThat(ExitCode.describe(143, false)).isEqualTo("exited on SIGTERM (143)");
		assertThat(ExitCode.describe(134, false)).isEqualTo("exited on SIGABRT (134): the JVM crashed");
		assertThat(ExitCode.describe(255, false)).isEqualTo("exited with code 255");
	}

}
