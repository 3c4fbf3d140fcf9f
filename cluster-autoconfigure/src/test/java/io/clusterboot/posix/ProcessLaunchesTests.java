package io.clusterboot.posix;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class ProcessLaunchesTests {

	@TempDir
	Path temp;

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
	void processesStartByForkAndExecWhereTheJdkLetsThePrimaryChooseLate() throws Exception {
		ProcessLaunches.forkWhereTheJdkAllows();
		Process process = ProcessLaunches.start(new ProcessBuilder("true"));
		assertThat(process.waitFor()).isZero();
		assertThat(System.getProperty("jdk.lang.Process.launchMechanism"))
			.isEqualTo((Runtime.version().feature() < 21) ? "FORK" : null);
	}

	@Test
	void aStartThatFailsForAnotherReasonFailsAsTheJdkSaysIt() {
		Path missing = this.temp.resolve("missing");
		assertThatIOException().isThrownBy(() -> ProcessLaunches.start(new ProcessBuilder(missing.toString())))
			.withMessageContaining(missing.toString())
			.withMessageNotContaining("replaced");
	}

	@Test
	void otherFailedStartsAreLeftAsTheyAre() {
		IOException missing = new IOException("Cannot run program \"/opt/jdk/bin/java\": error=2, No such file or directory");
		assertThat(ProcessLaunches.explained(missing)).isSameAs(missing);
		IOException silent = new IOException();
		assertThat(ProcessLaunches.explained(silent)).isSameAs(silent);
	}

}
