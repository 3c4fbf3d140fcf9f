package io.clusterboot.primary;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessLaunchesTests {

	@Test
	void aStartThatTheSpawnHelperRefusedSaysTheJdkWasReplacedAndWhatToDo() {
		IOException refused = new IOException(
				"Cannot run program \"/usr/lib/jvm/java-21/bin/java\": Failed to exec spawn helper: pid: 4242, exit code: 1");
		IOException explained = ProcessLaunches.explained(refused);
		assertThat(explained).hasCause(refused)
			.hasMessageStartingWith(refused.getMessage())
			.hasMessageContaining("was probably replaced under this running primary")
			.hasMessageContaining("restart the service")
			.hasMessageContaining("-Djdk.lang.Process.launchMechanism=FORK");
	}

	@Test
	void theReasonOfAFailureThatStartedAProcessIsExplainedTheSameWay() {
		IOException refused = new IOException("Cannot run program \"java\": Failed to exec spawn helper: pid: 4242");
		assertThat(ProcessLaunches.reasonOf(refused)).isEqualTo(ProcessLaunches.explained(refused).getMessage());
		assertThat(ProcessLaunches.reasonOf(new IllegalStateException("no room"))).isEqualTo("no room");
	}

	@Test
	void otherFailedStartsAreLeftAsTheyAre() {
		IOException missing = new IOException("Cannot run program \"/opt/jdk/bin/java\": error=2, No such file or directory");
		assertThat(ProcessLaunches.explained(missing)).isSameAs(missing);
		IOException silent = new IOException();
		assertThat(ProcessLaunches.explained(silent)).isSameAs(silent);
	}

}
