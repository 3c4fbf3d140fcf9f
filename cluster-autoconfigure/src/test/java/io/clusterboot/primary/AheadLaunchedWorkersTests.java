package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.SupervisorTests.FakeLauncher;
import io.clusterboot.primary.SupervisorTests.FakeProcess;
import io.clusterboot.primary.SupervisorTests.FakeServiceManager;
import io.clusterboot.primary.SupervisorTests.FakeTicker;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.ClusterStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers launched before the supervisor exists, and the supervisor taking them over:
 * fake processes, a real supervisor.
 */
class AheadLaunchedWorkersTests {

	private final FakeLauncher processes = new FakeLauncher();

	private final AheadLaunchedWorkers launcher = new AheadLaunchedWorkers(this.processes);

	private final Snapshot version = new Snapshot("a".repeat(64), null, "digest", Path.of("/snapshots/a"));

	@Test
	void theSupervisorTakesOverTheWorkersLaunchedAheadInsteadOfLaunchingItsOwn() throws IOException {
		this.launcher.launchFirst(2, this.version);
		assertThat(this.processes.launched).hasSize(2);
		Supervisor supervisor = supervisor(2, this.version);
		assertThat(this.processes.launched).hasSize(2);
		assertThat(supervisor.status().workers()).extracting(ClusterStatus.Worker::pid).containsExactly(1000L, 1001L);
		assertThat(this.launcher.waiting()).isZero();
		assertThat(this.processes.launched).allSatisfy((process) -> assertThat(process.signals).isEmpty());
	}

	@Test
	void aWorkerThatExitedBeforeTheTakeOverIsReportedToTheSupervisor() throws IOException {
		this.launcher.launchFirst(1, this.version);
		this.processes.launched.get(0).exit(3);
		Supervisor supervisor = supervisor(1, this.version);
		supervisor.runOnce();
		ClusterStatus.Worker worker = supervisor.status().workers().get(0);
		assertThat(worker.lastExitCode()).isEqualTo(3);
	}

	@Test
	void workersLaunchedForAnotherCountAreStoppedAndLaunchedAgain() throws IOException {
		this.launcher.launchFirst(2, this.version);
		supervisor(3, this.version);
		assertThat(this.processes.launched).hasSize(5);
		assertThat(this.processes.launched.subList(0, 2))
			.allSatisfy((process) -> assertThat(process.signals).containsExactly("TERM"));
		assertThat(this.processes.launched.subList(2, 5)).extracting(FakeProcess::count).containsOnly(3);
	}

	@Test
	void workersLaunchedForAnotherVersionAreStoppedAndLaunchedAgain() throws IOException {
		this.launcher.launchFirst(1, this.version);
		Snapshot other = new Snapshot("b".repeat(64), null, "digest", Path.of("/snapshots/b"));
		supervisor(1, other);
		assertThat(this.processes.launched).hasSize(2);
		assertThat(this.processes.launched.get(0).signals).containsExactly("TERM");
		assertThat(this.processes.launched.get(1).version()).isEqualTo(other);
	}

	@Test
	void abandoningTerminatesEachWorkerAndKillsThoseThatDoNotExitInTime() throws IOException {
		this.launcher.launchFirst(2, this.version);
		FakeProcess exitsAtOnce = this.processes.launched.get(0);
		exitsAtOnce.exit(143);
		this.launcher.abandon(Duration.ofMillis(1));
		assertThat(exitsAtOnce.signals).containsExactly("TERM");
		assertThat(this.processes.launched.get(1).signals).containsExactly("TERM", "KILL");
		assertThat(this.launcher.waiting()).isZero();
	}

	@Test
	void aWorkerTakenOverIsNotAbandoned() throws IOException {
		this.launcher.launchFirst(2, this.version);
		supervisor(2, this.version);
		this.launcher.abandon(Duration.ofMillis(1));
		assertThat(this.processes.launched).allSatisfy((process) -> assertThat(process.signals).isEmpty());
	}

	private Supervisor supervisor(int workers, Snapshot initialVersion) {
		Supervisor supervisor = new Supervisor(new ClusterProperties(), workers, this.launcher, new FakeTicker(),
				"shared", "127.0.0.1:8080", () -> {
				}, new FakeServiceManager(), null, initialVersion);
		supervisor.runOnce();
		return supervisor;
	}

}
