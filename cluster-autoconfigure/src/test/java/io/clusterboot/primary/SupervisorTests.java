package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.Advice;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.ControlMessage.StateChanged;
import io.clusterboot.protocol.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's decisions, with fake processes and a fake clock: no JVM is forked.
 */
@ExtendWith(OutputCaptureExtension.class)
class SupervisorTests {

	private final ClusterProperties properties = new ClusterProperties();

	private final FakeTicker ticker = new FakeTicker();

	private final FakeLauncher launcher = new FakeLauncher();

	private final FakeServiceManager serviceManager = new FakeServiceManager();

	private final AtomicInteger allReady = new AtomicInteger();

	/** The machine's available memory; unknown unless a test sets it. */
	private long availableMemory = -1;

	private Supervisor supervisor;

	SupervisorTests() {
		// Most tests look at the signals a worker gets; one looks at its priority
		this.properties.setReplacedNiceness(0);
		// Most tests follow a reload one replacement at a time; those of the surge set theirs
		this.properties.setMaxSurge(1);
	}

	private Supervisor start(int workers) {
		return start(workers, null, null);
	}

	private Supervisor start(int workers, Versions versions, Snapshot initialVersion) {
		this.supervisor = new Supervisor(this.properties, workers, this.launcher, this.ticker, "shared",
				"127.0.0.1:8080", this.allReady::incrementAndGet, this.serviceManager, versions, initialVersion);
		this.supervisor.setAvailableMemory(() -> this.availableMemory);
		this.supervisor.runOnce();
		return this.supervisor;
	}

	private Supervisor startReady(int workers) {
		return startReady(workers, null, null);
	}

	/**
	 * Ready workers of 300 MB each, as the supervisor has read them.
	 */
	private void startReadyOf300Megabytes(int workers) {
		startReady(workers);
		this.launcher.launched.forEach((worker) -> worker.residentBytes = DataSize.ofMegabytes(300).toBytes());
		advance(Duration.ofSeconds(1));
	}

	private Supervisor startReady(int workers, Versions versions, Snapshot initialVersion) {
		start(workers, versions, initialVersion);
		List.copyOf(this.launcher.launched).forEach(this::ready);
		return this.supervisor;
	}

	private static Snapshot version(String letter) {
		String key = letter.repeat(64);
		return new Snapshot(key, null, "digest", Path.of("/snapshots", key.substring(0, 16)));
	}

	@Test
	void launchesTheDesiredWorkersWithIdsOneToN() {
		start(2);
		assertThat(this.launcher.launched).extracting(FakeProcess::id).containsExactly(1, 2);
		assertThat(this.launcher.launched).extracting(FakeProcess::generation).containsExactly(1, 1);
		assertThat(this.launcher.launched).extracting(FakeProcess::count).containsExactly(2, 2);
		assertThat(states()).containsExactly(WorkerState.STARTING, WorkerState.STARTING);
	}

	@Test
	void reportsAllReadyOnceWhenEveryWorkerFirstBecameReady() {
		start(2);
		ready(this.launcher.launched.get(0));
		assertThat(this.allReady).hasValue(0);
		ready(this.launcher.launched.get(1));
		assertThat(this.allReady).hasValue(1);
		signal("HUP");
		runUntilReloaded();
		assertThat(this.allReady).hasValue(1);
	}

	@Test
	void workersAReloadReplacesGiveTheirCpuToTheirReplacements() {
		this.properties.setReplacedNiceness(10);
		startReady(2);
		assertThat(this.launcher.launched).allSatisfy((worker) -> assertThat(worker.signals).isEmpty());
		signal("HUP");
		assertThat(this.launcher.launched.subList(0, 2))
			.allSatisfy((worker) -> assertThat(worker.signals).containsExactly("NICE 10"));
		assertThat(last().signals).isEmpty();
		runUntilReloaded();
		assertThat(this.launcher.launched.subList(2, 4)).allSatisfy((worker) -> assertThat(worker.signals).isEmpty());
	}

	@Test
	void workersAReloadReplacesGiveTheirCpuWhileTheVersionOnDiskIsPrepared() {
		this.properties.setReplacedNiceness(10);
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		versions.onDisk = version("b");
		versions.held = true;
		signal("HUP");
		assertThat(this.launcher.launched).hasSize(2)
			.allSatisfy((worker) -> assertThat(worker.signals).containsExactly("NICE 10"));
		versions.release();
		runUntilReloaded();
		assertThat(this.launcher.launched.subList(0, 2))
			.allSatisfy((worker) -> assertThat(worker.signals).containsExactly("NICE 10", "TERM"));
		assertThat(this.launcher.launched.subList(2, 4)).allSatisfy((worker) -> assertThat(worker.signals).isEmpty());
	}

	@Test
	void crashedWorkerIsRestartedWithTheSameIdAfterItsBackoff() {
		startReady(2);
		FakeProcess crashed = this.launcher.launched.get(0);
		crashed.exit(1);
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(worker(1).state()).isEqualTo(WorkerState.RESTARTING);
		advance(Duration.ofMillis(100));
		assertThat(this.launcher.launched).hasSize(3);
		FakeProcess restarted = this.launcher.launched.get(2);
		assertThat(restarted.id()).isEqualTo(1);
		assertThat(restarted.generation()).isEqualTo(2);
		ClusterStatus.Worker status = worker(1);
		assertThat(status.restarts()).isEqualTo(1);
		assertThat(status.lastExitCode()).isEqualTo(1);
		assertThat(status.lastExit()).isEqualTo("exited with code 1");
	}

	@Test
	void backoffDoublesWhileAWorkerKeepsFailingAndResetsAfterAStableRun() {
		this.properties.getRestart().setMaxRestarts(10);
		startReady(1);
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			delays.add(crashAndMeasureRestartDelay(false));
		}
		assertThat(delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
				Duration.ofMillis(800));
		ready(last());
		advance(this.properties.getRestart().getMinUptime());
		assertThat(crashAndMeasureRestartDelay(true)).isEqualTo(Duration.ofMillis(100));
	}

	private Duration crashAndMeasureRestartDelay(boolean heartbeat) {
		int launched = this.launcher.launched.size();
		last().exit(1);
		this.supervisor.runOnce();
		Duration waited = Duration.ZERO;
		while (this.launcher.launched.size() == launched) {
			this.ticker.advance(Duration.ofMillis(50));
			this.supervisor.runOnce();
			waited = waited.plusMillis(50);
		}
		return waited;
	}

	@Test
	void workersThatKeepFailingRightAfterTheyStartStopTheCluster() {
		this.properties.getRestart().setMaxRestarts(2);
		startReady(2);
		for (int i = 0; i < 3; i++) {
			lastOf(1).exit(3);
			this.supervisor.runOnce();
			advance(Duration.ofSeconds(1));
		}
		CrashLoopException failure = this.supervisor.failure();
		assertThat(failure).isNotNull();
		assertThat(failure.getWorkerId()).isEqualTo(1);
		assertThat(failure.getWorkerExitCode()).isEqualTo(3);
		assertThat(failure.getExitCode()).isEqualTo(1);
		assertThat(failure.getFailures()).isEqualTo(3);
		assertThat(lastOf(2).signals).containsExactly("TERM");
		lastOf(2).exit(0);
		this.supervisor.runOnce();
		assertThat(this.supervisor.isFinished()).isTrue();
	}

	@Test
	void aWorkerStoppedByItsConfigurationStopsTheClusterAtOnce() {
		start(2);
		ready(this.launcher.launched.get(1));
		this.launcher.launched.get(0).exit(78);
		this.supervisor.runOnce();
		advance(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).hasSize(2);
		CrashLoopException failure = this.supervisor.failure();
		assertThat(failure.getMessage()).contains("exited with code 78 (configuration error) before it became ready")
			.contains("a restart would meet again");
		assertThat(failure.getExitCode()).as("the primary's, for RestartPreventExitStatus=78").isEqualTo(78);
		assertThat(this.launcher.launched.get(1).signals).containsExactly("TERM");
	}

	@Test
	void aRestartThatFailsOnItsConfigurationOnceTheClusterServedIsRetriedWhileTheOthersServe() {
		startReady(2);
		this.launcher.launched.get(0).exit(1);
		advance(Duration.ofSeconds(2));
		FakeProcess restarted = last();
		assertThat(restarted.id()).isEqualTo(1);
		restarted.exit(78);
		advance(Duration.ofSeconds(2));
		assertThat(this.supervisor.failure()).isNull();
		assertThat(last()).isNotSameAs(restarted);
		assertThat(this.launcher.launched.get(1).signals).isEmpty();
	}

	@Test
	void aReadyWorkerThatExitsWith78IsRestartedAsAnyOther() {
		startReady(2);
		this.launcher.launched.get(0).exit(78);
		this.supervisor.runOnce();
		advance(Duration.ofMillis(100));
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(this.supervisor.failure()).isNull();
	}

	@Test
	void workerEndedBySignalIsReportedAsSuch() {
		startReady(2);
		this.launcher.launched.get(0).exit(137);
		this.supervisor.runOnce();
		assertThat(worker(1).lastExit()).isEqualTo("exited on SIGKILL (137): killed, possibly out of memory");
		assertThat(this.supervisor.status().events()).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo("exit");
			assertThat(event.detail()).isEqualTo("exited on SIGKILL (137): killed, possibly out of memory");
		});
	}

	@Test
	void workerThatDrainsOnItsOwnIsReplacedAtOnceAndIsNotACrash() {
		startReady(2);
		FakeProcess drained = this.launcher.launched.get(0);
		report(drained, new StateChanged(WorkerState.DRAINING));
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(last().id()).isEqualTo(1);
		drained.exit(0);
		advance(Duration.ofSeconds(1));
		assertThat(drained.signals).isEmpty();
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(statusOf(last()).restarts()).isZero();
	}

	@Test
	void stuckWorkerIsDumpedKilledAndReplacedWithoutCountingAsACrash() {
		startReady(2);
		FakeProcess stuck = this.launcher.launched.get(0);
		stuck.hung = true;
		advance(this.properties.getHeartbeatTimeout().plusSeconds(1));
		assertThat(stuck.signals).containsExactly("QUIT");
		assertThat(this.launcher.launched).hasSize(3);
		advance(Duration.ofSeconds(1));
		assertThat(stuck.signals).containsExactly("QUIT", "KILL");
		assertThat(this.launcher.launched).hasSize(3);
		stuck.exit(137);
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(statusOf(last()).restarts()).isZero();
		assertThat(statusOf(last()).lastExit()).isEqualTo("exited on SIGKILL (137): killed by the primary");
		assertThat(this.supervisor.status().events()).extracting(ClusterStatus.Event::type).contains("stuck");
	}

	@Test
	void workerThatHangsRightAfterLaunchIsReplacedAfterTheHeartbeatTimeout() {
		this.properties.setHeartbeatTimeout(Duration.ofSeconds(10));
		start(2);
		FakeProcess hung = this.launcher.launched.get(0);
		hung.hung = true;
		ready(this.launcher.launched.get(1));
		advance(Duration.ofSeconds(10));
		assertThat(hung.signals).isEmpty();
		advance(Duration.ofSeconds(2));
		assertThat(hung.signals).containsExactly("QUIT", "KILL");
		assertThat(last().id()).isEqualTo(1);
		assertThat(last().generation()).isEqualTo(2);
	}

	@Test
	void workerThatBootsSlowlyBeforeItCanConnectIsNotTakenForStuck() {
		this.properties.setHeartbeatTimeout(Duration.ofSeconds(10));
		start(1);
		advance(Duration.ofSeconds(30));
		assertThat(last().signals).isEmpty();
		ready(last());
		assertThat(states()).containsExactly(WorkerState.READY);
	}

	@Test
	void workerThatBootsSlowlyButKeepsLoadingClassesIsGivenTheTimeItNeeds() {
		start(1);
		FakeProcess slow = last();
		slow.loadingClasses = true;
		connect(slow);
		advance(this.properties.getReadyTimeout().multipliedBy(3));
		assertThat(slow.signals).isEmpty();
		ready(slow);
		assertThat(states()).containsExactly(WorkerState.READY);
	}

	@Test
	void workerThatHeartbeatsButNeverBecomesReadyIsKilledAndRestartedAsAFailure() {
		start(1);
		FakeProcess booting = last();
		connect(booting);
		advance(this.properties.getReadyTimeout());
		assertThat(booting.signals).isEmpty();
		advance(Duration.ofSeconds(2));
		assertThat(booting.signals).containsExactly("QUIT", "KILL");
		assertThat(this.launcher.launched).hasSize(1);
		booting.exit(137);
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).hasSize(1);
		advance(Duration.ofMillis(100));
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(statusOf(last()).restarts()).isEqualTo(1);
	}

	@Test
	void workerThatStopsReadingItsControlChannelIsTreatedAsStuck() {
		startReady(2);
		FakeProcess deaf = this.launcher.launched.get(1);
		this.supervisor.post(new Event.WorkerNotReading(deaf.link));
		this.supervisor.runOnce();
		assertThat(deaf.signals).containsExactly("QUIT");
		advance(Duration.ofSeconds(1));
		assertThat(deaf.signals).containsExactly("QUIT", "KILL");
		assertThat(last().id()).isEqualTo(2);
	}

	@Test
	void scalesUpAndDownOnTtinAndTtou() {
		startReady(2);
		signal("TTIN");
		assertThat(last().id()).isEqualTo(3);
		ready(last());
		FakeProcess third = last();
		signal("TTOU");
		assertThat(third.signals).containsExactly("TERM");
		third.exit(0);
		advance(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(this.supervisor.status().workers()).extracting(ClusterStatus.Worker::id).containsExactly(1, 2);
		assertThat(this.supervisor.status().desired()).isEqualTo(2);
	}

	@Test
	void theServiceManagerHearsReadyOnlyOnceEveryWorkerIsReady() {
		start(2);
		ready(this.launcher.launched.get(0));
		assertThat(this.serviceManager.messages).doesNotContain("READY=1");
		ready(this.launcher.launched.get(1));
		assertThat(this.serviceManager.messages).containsOnlyOnce("READY=1");
		assertThat(this.serviceManager.messages).contains("STATUS=2 of 2 workers ready; 0 reloads so far");
	}

	@Test
	void aReloadIsAnnouncedWithItsTimeAndEndsWithReadyWhetherItFinishesOrNot() {
		startReady(2);
		this.serviceManager.messages.clear();
		this.ticker.advance(Duration.ofSeconds(3));
		signal("HUP");
		assertThat(this.serviceManager.messages).first()
			.isEqualTo("RELOADING=1 MONOTONIC_USEC=" + this.ticker.nanoTime() / 1000);
		// A second reload, queued behind the first: systemd hears of one reload, ready after both
		signal("HUP");
		assertThat(this.serviceManager.messages).filteredOn((message) -> message.startsWith("RELOADING")).hasSize(1);
		runUntilReloaded();
		assertThat(this.serviceManager.messages).doesNotContain("READY=1");
		runUntilReloaded();
		assertThat(this.serviceManager.messages).filteredOn("READY=1"::equals).hasSize(1);

		this.serviceManager.messages.clear();
		signal("HUP");
		last().exit(1);
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().reload().state()).isEqualTo("aborted");
		assertThat(this.serviceManager.messages).first().asString().startsWith("RELOADING=1");
		assertThat(this.serviceManager.messages).contains("READY=1");
	}

	@Test
	void theServiceManagerHearsStoppingOnce() {
		startReady(2);
		signal("TERM");
		signal("TERM");
		assertThat(this.serviceManager.messages).containsOnlyOnce("STOPPING=1");
		assertThat(this.serviceManager.messages).contains("STATUS=Stopping: 2 workers left");
	}

	@Test
	void theWatchdogHearsFromTheLoopEveryInterval() {
		this.serviceManager.watchdogInterval = Duration.ofSeconds(5);
		startReady(2);
		int before = this.serviceManager.count("WATCHDOG=1");
		advance(Duration.ofSeconds(20));
		assertThat(this.serviceManager.count("WATCHDOG=1") - before).isBetween(4, 5);
	}

	@Test
	void newConnectionsAreRoutedToTheWorkersThatServedUpToTheDesiredCount() {
		start(2);
		assertThat(this.launcher.routes).isEmpty();
		ready(this.launcher.launched.get(1));
		assertThat(this.launcher.routes).as("worker 1 has not served yet").isEmpty();
		ready(this.launcher.launched.get(0));
		assertThat(this.launcher.routes).containsExactly(2);
		signal("TTIN");
		FakeProcess third = last();
		assertThat(this.launcher.routes).as("worker 3 is booting").containsExactly(2);
		ready(third);
		assertThat(this.launcher.routes).containsExactly(2, 3);
		third.exit(1);
		advance(Duration.ofSeconds(2));
		assertThat(last()).isNotSameAs(third);
		assertThat(this.launcher.routes).as("a restarting worker's clients wait for it").containsExactly(2, 3);
		ready(last());
		signal("TTOU");
		assertThat(last().signals).containsExactly("TERM");
		assertThat(this.launcher.routes).containsExactly(2, 3, 2);
		signal("TTIN");
		assertThat(this.launcher.routes).as("the scaled-down id serves again only once ready").containsExactly(2, 3, 2);
	}

	@Test
	void reloadReadiesEachReplacementBeforeDrainingTheWorkerItReplaces() {
		startReady(2);
		FakeProcess old1 = this.launcher.launched.get(0);
		FakeProcess old2 = this.launcher.launched.get(1);
		signal("HUP");
		FakeProcess new1 = last();
		assertThat(new1.id()).isEqualTo(1);
		assertThat(new1.generation()).isEqualTo(2);
		advance(Duration.ofSeconds(5));
		assertThat(old1.signals).isEmpty();
		ready(new1);
		assertThat(old1.signals).containsExactly("TERM");
		this.supervisor.runOnce();
		FakeProcess new2 = last();
		assertThat(new2.id()).isEqualTo(2);
		assertThat(old2.signals).isEmpty();
		ready(new2);
		assertThat(old2.signals).containsExactly("TERM");
		old1.exit(0);
		old2.exit(0);
		advance(Duration.ofSeconds(1));
		ClusterStatus status = this.supervisor.status();
		assertThat(status.reload().state()).isEqualTo("finished");
		assertThat(status.reloads()).isEqualTo(1);
		assertThat(status.workers()).extracting(ClusterStatus.Worker::pid).containsExactly(new1.pid, new2.pid);
		assertThat(status.workers()).extracting(ClusterStatus.Worker::restarts).containsExactly(0, 0);
	}

	@Test
	void reloadWithASurgeBootsThatManyReplacementsAtOnceAndDrainsEachOldWorkerWhenItsOwnIsReady() {
		this.properties.setMaxSurge(2);
		startReady(3);
		FakeProcess old1 = this.launcher.launched.get(0);
		FakeProcess old2 = this.launcher.launched.get(1);
		FakeProcess old3 = this.launcher.launched.get(2);
		signal("HUP");
		assertThat(this.launcher.launched).hasSize(5);
		FakeProcess new1 = this.launcher.launched.get(3);
		FakeProcess new2 = this.launcher.launched.get(4);
		assertThat(List.of(new1.id(), new2.id())).containsExactly(1, 2);
		ready(new2);
		assertThat(old2.signals).containsExactly("TERM");
		assertThat(old1.signals).as("its replacement still boots").isEmpty();
		FakeProcess new3 = last();
		assertThat(new3.id()).as("a replacement boots as soon as one of the surge is ready").isEqualTo(3);
		assertThat(this.launcher.launched).hasSize(6);
		ready(new3);
		assertThat(old3.signals).containsExactly("TERM");
		assertThat(this.supervisor.status().reload().state()).isEqualTo("running");
		ready(new1);
		assertThat(old1.signals).containsExactly("TERM");
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
		assertThat(this.launcher.launched).hasSize(6);
	}

	@Test
	void reloadBootsASecondReplacementAtOnceOnlyWhileTheMachineHasTwiceAWorkersMemory() {
		this.properties.setMaxSurge(2);
		startReadyOf300Megabytes(2);
		this.availableMemory = DataSize.ofMegabytes(500).toBytes();
		signal("HUP");
		assertThat(this.launcher.launched).as("the first replacement always boots").hasSize(3);
		advance(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).hasSize(3);
		this.availableMemory = DataSize.ofMegabytes(600).toBytes();
		advance(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).as("the memory is there now").hasSize(4);
		assertThat(List.of(this.launcher.launched.get(2).id(), last().id())).containsExactly(1, 2);
		ready(this.launcher.launched.get(2));
		ready(last());
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
	}

	@Test
	void eachReplacementBootingTogetherNeedsTheMemoryOfTheWorkerItReplaces() {
		this.properties.setMaxSurge(3);
		startReadyOf300Megabytes(3);
		// Room for two booting together (600 MB), not for three (900 MB)
		this.availableMemory = DataSize.ofMegabytes(700).toBytes();
		signal("HUP");
		assertThat(this.launcher.launched).hasSize(5);
		ready(this.launcher.launched.get(3));
		assertThat(this.launcher.launched).as("the third boots once one is ready").hasSize(6);
		assertThat(last().id()).isEqualTo(3);
	}

	@Test
	void reloadWithoutTheMemoryForASurgeReplacesWorkersOneByOne() {
		this.properties.setMaxSurge(2);
		startReadyOf300Megabytes(2);
		this.availableMemory = DataSize.ofMegabytes(100).toBytes();
		signal("HUP");
		FakeProcess new1 = last();
		assertThat(this.launcher.launched).hasSize(3);
		ready(new1);
		assertThat(this.launcher.launched.get(0).signals).containsExactly("TERM");
		assertThat(this.launcher.launched).as("the next boots once the first is ready").hasSize(4);
		assertThat(last().id()).isEqualTo(2);
		ready(last());
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
	}

	@Test
	void reloadWithASurgeAboveTheInstanceCountReplacesEveryWorkerAtOnce() {
		this.properties.setMaxSurge(8);
		startReady(2);
		signal("HUP");
		assertThat(this.launcher.launched).hasSize(4);
		ready(this.launcher.launched.get(2));
		ready(this.launcher.launched.get(3));
		this.supervisor.runOnce();
		assertThat(this.launcher.launched.get(0).signals).containsExactly("TERM");
		assertThat(this.launcher.launched.get(1).signals).containsExactly("TERM");
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
	}

	@Test
	void reloadWithASurgeAbortsWhenOneReplacementExitsAndAbandonsTheOthersStillBooting() {
		this.properties.setMaxSurge(3);
		startReady(3);
		signal("HUP");
		FakeProcess new1 = this.launcher.launched.get(3);
		FakeProcess new2 = this.launcher.launched.get(4);
		FakeProcess new3 = this.launcher.launched.get(5);
		ready(new1);
		assertThat(this.launcher.launched.get(0).signals).containsExactly("TERM");
		new2.exit(1);
		advance(Duration.ofSeconds(1));
		ClusterStatus status = this.supervisor.status();
		assertThat(status.reload().state()).isEqualTo("aborted");
		assertThat(status.reload().detail()).contains("worker 2").contains("exited with code 1 before it became ready");
		assertThat(new3.signals).as("abandoned").containsExactly("TERM");
		assertThat(this.launcher.launched.get(1).signals).as("old worker 2 keeps serving").isEmpty();
		assertThat(this.launcher.launched.get(2).signals).as("old worker 3 keeps serving").isEmpty();
		assertThat(new1.signals).as("the replacement that was ready serves").isEmpty();
	}

	@Test
	void duringARolloutEachIdHasOneServingWorkerForTheMetricsRelay() {
		startReady(2);
		signal("HUP");
		for (int step = 0; step < 10; step++) {
			assertThat(this.supervisor.readyLinks()).extracting(WorkerLink::workerId).containsExactlyInAnyOrder(1, 2);
			FakeProcess newest = last();
			if (newest.generation() == 2 && statusOf(newest).state() == WorkerState.STARTING) {
				ready(newest);
			}
			advance(Duration.ofMillis(500));
		}
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
	}

	@Test
	void reloadAbortsWhenAReplacementExitsAndTheOldWorkersKeepServing() {
		startReady(2);
		signal("HUP");
		FakeProcess replacement = last();
		replacement.exit(1);
		advance(Duration.ofSeconds(1));
		ClusterStatus status = this.supervisor.status();
		assertThat(status.reload().state()).isEqualTo("aborted");
		assertThat(status.reload().detail()).contains("exited with code 1 before it became ready");
		assertThat(this.launcher.launched.get(0).signals).isEmpty();
		assertThat(this.launcher.launched.get(1).signals).isEmpty();
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(status.workers()).extracting(ClusterStatus.Worker::restarts).containsExactly(0, 0);
	}

	@Test
	void reloadAbortsWhenAReplacementIsNotReadyInTime() {
		startReady(2);
		signal("HUP");
		FakeProcess replacement = last();
		connect(replacement);
		advance(this.properties.getReadyTimeout().plusSeconds(2));
		assertThat(replacement.signals).containsExactly("QUIT", "KILL");
		replacement.exit(137);
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().reload().state()).isEqualTo("aborted");
		assertThat(this.supervisor.status().reload().detail())
			.contains("no boot progress within cluster.ready-timeout");
		assertThat(this.launcher.launched.get(0).signals).isEmpty();
	}

	@Test
	void reloadThatCannotLaunchAReplacementAbortsInsteadOfFinishing() {
		startReady(2);
		this.launcher.failing = true;
		signal("HUP");
		ClusterStatus status = this.supervisor.status();
		assertThat(status.reload().state()).isEqualTo("aborted");
		assertThat(status.reload().detail()).isEqualTo("the replacement of worker 1 could not be launched");
		assertThat(this.launcher.launched.get(0).signals).isEmpty();
	}

	@Test
	void hupsDuringAReloadQueueExactlyOneMoreReload() {
		startReady(2);
		signal("HUP");
		signal("HUP");
		signal("HUP");
		runUntilReloaded();
		runUntilReloaded();
		assertThat(this.supervisor.status().reloads()).isEqualTo(2);
		assertThat(this.launcher.launched).hasSize(6);
	}

	@Test
	void reloadRunsTheVersionOnDiskAndKeepsThePreviousOneForARollback() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		versions.onDisk = version("b");
		signal("HUP");
		assertThat(last().version()).isEqualTo(version("b"));
		runUntilReloaded();
		ClusterStatus status = this.supervisor.status();
		assertThat(status.version()).isEqualTo(new ClusterStatus.Versions("bbbbbbbbbbbb", "aaaaaaaaaaaa"));
		assertThat(status.workers()).extracting(ClusterStatus.Worker::version)
			.containsExactly("bbbbbbbbbbbb", "bbbbbbbbbbbb");
		assertThat(versions.retained).containsExactlyInAnyOrder(version("a"), version("b"));
		FakeLink operator = last().link;
		this.supervisor.post(new Event.WorkerReported(operator, new Command(7, "rollback", null, null)));
		this.supervisor.runOnce();
		assertThat(operator.sent).contains(new CommandReply(7, true, "rollback of 2 workers to version aaaaaaaaaaaa"));
		runUntilReloaded();
		assertThat(this.supervisor.status().version()).isEqualTo(new ClusterStatus.Versions("aaaaaaaaaaaa",
				"bbbbbbbbbbbb"));
		assertThat(this.supervisor.status().workers()).extracting(ClusterStatus.Worker::version)
			.containsExactly("aaaaaaaaaaaa", "aaaaaaaaaaaa");
	}

	@Test
	void classDataIsAskedForOnceAllServeAndAfterEveryFinishedReloadOfANewVersionOrTheSame() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		assertThat(this.launcher.optimized).containsExactly(version("a"));
		versions.onDisk = version("a");
		signal("HUP");
		runUntilReloaded();
		assertThat(this.launcher.optimized).as("a JDK upgraded in place needs an archive of its own")
			.containsExactly(version("a"), version("a"));
		versions.onDisk = version("b");
		signal("HUP");
		runUntilReloaded();
		assertThat(this.launcher.optimized).containsExactly(version("a"), version("a"), version("b"));
	}

	@Test
	void rollbackDuringAReloadGoesBackToTheVersionServingWhenItWasAskedFor() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		versions.onDisk = version("b");
		signal("HUP");
		runUntilReloaded();
		versions.onDisk = version("c");
		signal("HUP");
		FakeLink operator = lastOf(2).link;
		this.supervisor.post(new Event.WorkerReported(operator, new Command(7, "rollback", null, null)));
		this.supervisor.runOnce();
		assertThat(operator.sent).contains(new CommandReply(7, true, "rollback of 2 workers to version bbbbbbbbbbbb"));
		runUntilReloaded();
		assertThat(this.supervisor.status().version().current()).isEqualTo("cccccccccccc");
		assertThat(versions.retained).contains(version("b"));
		runUntilReloaded();
		assertThat(this.supervisor.status().version()).isEqualTo(new ClusterStatus.Versions("bbbbbbbbbbbb",
				"cccccccccccc"));
		assertThat(this.supervisor.status().workers()).extracting(ClusterStatus.Worker::version)
			.containsExactly("bbbbbbbbbbbb", "bbbbbbbbbbbb");
	}

	@Test
	void scalingDownDuringAReloadLetsTheReloadFinishWithTheWorkersLeft() {
		startReady(3);
		signal("HUP");
		ready(last());
		ready(last());
		assertThat(last().id()).isEqualTo(3);
		CompletableFuture<CommandReply> reply = new CompletableFuture<>();
		this.supervisor.post(new Event.OperatorCommand(new Command(9, "scale", "2", null), reply));
		this.supervisor.runOnce();
		this.launcher.launched.stream()
			.filter((worker) -> !worker.exited && worker.signals.contains("TERM"))
			.forEach((worker) -> worker.exit(0));
		advance(Duration.ofMillis(100));
		assertThat(this.supervisor.status().reload().state()).isEqualTo("finished");
		assertThat(this.supervisor.status().workers()).extracting(ClusterStatus.Worker::generation)
			.containsExactly(2, 2);
	}

	@Test
	void theCommandLineCanStopTheClusterAndAWorkerCannot() {
		startReady(2);
		this.supervisor.post(new Event.WorkerReported(last().link, new Command(7, "stop", null, null)));
		this.supervisor.runOnce();
		assertThat(last().link.sent).filteredOn(CommandReply.class::isInstance)
			.singleElement()
			.isInstanceOfSatisfying(CommandReply.class, (reply) -> assertThat(reply.accepted()).isFalse());
		assertThat(last().signals).isEmpty();
		CompletableFuture<CommandReply> reply = new CompletableFuture<>();
		this.supervisor.post(new Event.OperatorCommand(new Command(8, "stop", null, null), reply));
		this.supervisor.runOnce();
		assertThat(reply).isCompletedWithValue(new CommandReply(8, true, "stop of 2 workers, each after its drain"));
		assertThat(this.launcher.launched).allSatisfy((worker) -> assertThat(worker.signals).containsExactly("TERM"));
		assertThat(this.serviceManager.messages).contains("STOPPING=1");
	}

	@Test
	void theCommandLinesOtherCommandsAreTheWorkersOnes() {
		startReady(2);
		CompletableFuture<CommandReply> reply = new CompletableFuture<>();
		this.supervisor.post(new Event.OperatorCommand(new Command(9, "scale", "3", null), reply));
		this.supervisor.runOnce();
		assertThat(reply).isCompletedWithValue(new CommandReply(9, true, "scale to 3 workers"));
		assertThat(last().id()).isEqualTo(3);
	}

	@Test
	void rollbackWithoutAPreviousVersionIsRefused() {
		startReady(1, new FakeVersions(), version("a"));
		this.supervisor.post(new Event.WorkerReported(last().link, new Command(7, "rollback", null, null)));
		this.supervisor.runOnce();
		assertThat(last().link.sent).contains(new CommandReply(7, false, "No previous version to roll back to"));
	}

	@Test
	void reloadWhoseVersionCannotBePreparedIsAbortedAndNothingIsReplaced() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		versions.failure = "cannot unpack app.jar: disk full";
		signal("HUP");
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(this.supervisor.status().reload().state()).isEqualTo("aborted");
		assertThat(this.supervisor.status().reload().detail()).isEqualTo("cannot unpack app.jar: disk full");
	}

	@Test
	void anEventThatCannotBeHandledIsDroppedAndTheClusterGoesOn() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		versions.broken = new IllegalStateException("a bug");
		signal("HUP");
		assertThat(this.launcher.launched).hasSize(2).allSatisfy((worker) -> assertThat(worker.signals).isEmpty());
		versions.broken = null;
		versions.onDisk = version("b");
		signal("HUP");
		runUntilReloaded();
		assertThat(this.supervisor.status().version().current()).isEqualTo("bbbbbbbbbbbb");
	}

	@Test
	void reportsOnAConnectionTheWorkerDoesNotUseAreIgnored() {
		start(1);
		FakeProcess worker = last();
		connect(worker);
		FakeLink other = new FakeLink(worker.id(), worker.pid);
		this.supervisor.post(new Event.WorkerReported(other, new StateChanged(WorkerState.READY)));
		this.supervisor.runOnce();
		assertThat(states()).containsExactly(WorkerState.STARTING);
	}

	@Test
	void aBroadcastIsRelayedAsFromTheWorkerThatSentIt() {
		startReady(2);
		FakeProcess sender = this.launcher.launched.get(0);
		this.supervisor.post(new Event.WorkerReported(sender.link,
				new Broadcast("topic", null, 2, false)));
		this.supervisor.runOnce();
		assertThat(this.launcher.launched.get(1).link.sent).contains(new Broadcast("topic", null, 1, false));
	}

	@Test
	void crashedWorkerRestartsWithTheVersionItsIdServed() {
		FakeVersions versions = new FakeVersions();
		startReady(2, versions, version("a"));
		lastOf(2).exit(1);
		advance(Duration.ofSeconds(1));
		assertThat(lastOf(2).version()).isEqualTo(version("a"));
	}

	@Test
	void workerOverTheRequestLimitIsRecycledNewFirst() {
		this.properties.setMaxRequests(100);
		startReady(2);
		FakeProcess busy = this.launcher.launched.get(0);
		report(busy, new Heartbeat(0, 150, 0, 0, 0, 0));
		this.supervisor.runOnce();
		FakeProcess replacement = last();
		assertThat(replacement.id()).isEqualTo(1);
		assertThat(busy.signals).isEmpty();
		ready(replacement);
		assertThat(busy.signals).containsExactly("TERM");
		assertThat(this.supervisor.status().reload().kind()).isEqualTo("recycle");
	}

	@Test
	void workerOverTheMemoryLimitIsRecycled() {
		this.properties.setMaxMemory(DataSize.ofMegabytes(256));
		startReady(1);
		last().residentBytes = DataSize.ofMegabytes(300).toBytes();
		advance(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(this.supervisor.status().events()).extracting(ClusterStatus.Event::type).contains("recycle");
	}

	@Test
	void termDrainsEveryWorkerAndFinishesOnceAllExited() {
		startReady(2);
		signal("TERM");
		this.launcher.launched.forEach((worker) -> assertThat(worker.signals).containsExactly("TERM"));
		this.launcher.launched.get(0).exit(0);
		this.supervisor.runOnce();
		assertThat(this.supervisor.isFinished()).isFalse();
		this.launcher.launched.get(1).exit(0);
		this.supervisor.runOnce();
		assertThat(this.supervisor.isFinished()).isTrue();
		assertThat(this.supervisor.failure()).isNull();
	}

	@Test
	void workerThatDoesNotDrainInTimeIsKilled() {
		this.properties.setDrainTimeout(Duration.ofSeconds(10));
		startReady(1);
		signal("TERM");
		advance(Duration.ofSeconds(14));
		assertThat(last().signals).containsExactly("TERM");
		advance(Duration.ofSeconds(2));
		assertThat(last().signals).containsExactly("TERM", "KILL");
	}

	@Test
	void broadcastReachesTheOtherWorkersAndTheSenderOnlyIfAsked() {
		startReady(3);
		FakeProcess sender = this.launcher.launched.get(0);
		report(sender, new Broadcast("evict", JsonNodeFactory.instance.stringNode("k"), 1, false));
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).extracting((worker) -> worker.link.broadcasts().size())
			.containsExactly(0, 1, 1);
		report(sender, new Broadcast("evict", JsonNodeFactory.instance.stringNode("k"), 1, true));
		this.supervisor.runOnce();
		assertThat(this.launcher.launched).extracting((worker) -> worker.link.broadcasts().size())
			.containsExactly(1, 2, 2);
	}

	@Test
	void connectionFromAnUnknownProcessIsClosed() {
		start(1);
		FakeLink stranger = new FakeLink(1, 999_999);
		this.supervisor.post(new Event.WorkerConnected(stranger));
		this.supervisor.runOnce();
		assertThat(stranger.closed).isTrue();
	}

	@Test
	void theLowestConnectedWorkerLeadsFromTheStartAndKeepsTheLeadWhileTheOthersBecomeReady() {
		start(2);
		FakeProcess first = this.launcher.launched.get(0);
		FakeProcess second = this.launcher.launched.get(1);
		connect(second);
		assertThat(second.link.lead()).isTrue();
		connect(first);
		assertThat(first.link.lead()).isTrue();
		assertThat(second.link.lead()).isFalse();
		ready(second);
		ready(first);
		assertThat(first.link.sent).filteredOn(ControlMessage.Lead.class::isInstance).hasSize(1);
		assertThat(second.link.sent).filteredOn(ControlMessage.Lead.class::isInstance).hasSize(2);
		assertThat(worker(1).lead()).isTrue();
		assertThat(worker(2).lead()).isFalse();
	}

	@Test
	void aReadyLeadKeepsTheLeadUntilALowerIdIsReady() {
		start(2);
		FakeProcess first = this.launcher.launched.get(0);
		FakeProcess second = this.launcher.launched.get(1);
		ready(second);
		assertThat(second.link.lead()).isTrue();
		connect(first);
		assertThat(first.link.lead()).isNull();
		ready(first);
		assertThat(first.link.lead()).isTrue();
		assertThat(second.link.lead()).isFalse();
	}

	@Test
	void theLeadMovesWhenItDiesAndComesBackWithItsReplacement() {
		startReady(2);
		FakeProcess first = this.launcher.launched.get(0);
		FakeProcess second = this.launcher.launched.get(1);
		first.exit(137);
		this.supervisor.runOnce();
		assertThat(second.link.lead()).isTrue();
		advance(Duration.ofMillis(100));
		ready(last());
		assertThat(last().link.lead()).isTrue();
		assertThat(second.link.lead()).isFalse();
	}

	@Test
	void aReloadHandsTheLeadToTheNewWorkerOnceItServesAndNeverToADrainingOne() {
		startReady(2);
		FakeProcess oldLead = this.launcher.launched.get(0);
		signal("HUP");
		FakeProcess newFirst = last();
		connect(newFirst);
		assertThat(newFirst.link.lead()).isNull();
		ready(newFirst);
		assertThat(newFirst.link.lead()).isTrue();
		assertThat(oldLead.link.lead()).isFalse();
		runUntilReloaded();
		assertThat(this.supervisor.status().workers()).filteredOn(ClusterStatus.Worker::lead)
			.extracting(ClusterStatus.Worker::pid)
			.containsExactly(newFirst.pid);
	}

	@Test
	void noTwoLivingWorkersShareALogSlot() {
		startReady(2);
		assertThat(this.launcher.launched).extracting(FakeProcess::logSlot).containsExactly(1, 2);
		signal("HUP");
		runUntilReloaded();
		// Each replacement starts while the worker before it still drains
		assertThat(this.launcher.launched).extracting(FakeProcess::logSlot).containsExactly(1, 2, 3, 4);
		this.launcher.launched.get(2).exit(1);
		this.supervisor.runOnce();
		advance(Duration.ofMillis(100));
		assertThat(last().logSlot()).as("the lowest slot no living worker holds").isEqualTo(1);
	}

	@Test
	void adviceFromEveryWorkerIsReportedOnceByCodeAndSubject() {
		startReady(2);
		Advice database = new Advice("embedded-database", "dataSource", "each worker has its own", "use a server");
		Advice sessions = new Advice("in-memory-sessions", "Tomcat", "sessions stay in one worker", "sticky");
		report(this.launcher.launched.get(0), new ControlMessage.AdviceFound(List.of(database)));
		report(this.launcher.launched.get(1), new ControlMessage.AdviceFound(List.of(database, sessions)));
		this.supervisor.runOnce();
		assertThat(this.supervisor.status().advice()).containsExactly(database, sessions);
	}

	@Test
	void eachFindingIsLoggedOnceForTheWholeCluster(CapturedOutput output) {
		startReady(2);
		Advice database = new Advice("embedded-database", "DataSource 'dataSource' (H2 in memory)",
				"Each worker has its own.", "Use a server.");
		report(this.launcher.launched.get(0), new ControlMessage.AdviceFound(List.of(database)));
		report(this.launcher.launched.get(1), new ControlMessage.AdviceFound(List.of(database)));
		this.supervisor.runOnce();
		signal("HUP");
		runUntilReloaded();
		report(last(), new ControlMessage.AdviceFound(List.of(database)));
		this.supervisor.runOnce();
		assertThat(output).containsOnlyOnce("Cluster advice [embedded-database] DataSource 'dataSource' "
				+ "(H2 in memory): Each worker has its own. Use a server. "
				+ "(cluster.advice.ignore=embedded-database silences this)");
	}

	// Helpers

	private void signal(String name) {
		this.supervisor.post(new Event.SignalReceived(name));
		this.supervisor.runOnce();
	}

	private void connect(FakeProcess worker) {
		worker.link = new FakeLink(worker.id(), worker.pid);
		this.supervisor.post(new Event.WorkerConnected(worker.link));
		this.supervisor.runOnce();
	}

	private void ready(FakeProcess worker) {
		if (worker.link == null) {
			connect(worker);
		}
		report(worker, new StateChanged(WorkerState.READY));
		this.supervisor.runOnce();
	}

	private void report(FakeProcess worker, ControlMessage message) {
		this.supervisor.post(new Event.WorkerReported(worker.link, message));
	}

	/**
	 * Let time pass in steps of one heartbeat interval, every worker that is not hung
	 * using CPU, and heartbeating once connected.
	 */
	private void advance(Duration duration) {
		Duration step = this.properties.getHeartbeatInterval();
		Duration left = duration;
		while (!left.isNegative() && !left.isZero()) {
			Duration now = (left.compareTo(step) < 0) ? left : step;
			this.ticker.advance(now);
			left = left.minus(now);
			for (FakeProcess worker : this.launcher.launched) {
				if (!worker.hung) {
					worker.cpuTime = worker.cpuTime.plus(now.dividedBy(2));
					worker.loadedClasses += worker.loadingClasses ? 100 : 0;
				}
				if (worker.link != null && !worker.hung && !worker.exited) {
					report(worker, new Heartbeat(0, worker.requests, 0, 0, worker.loadedClasses, 0));
				}
			}
			this.supervisor.runOnce();
		}
	}

	private void runUntilReloaded() {
		long finished = finishedReloads();
		for (int step = 0; step < 20; step++) {
			FakeProcess newest = last();
			if (statusOf(newest) != null && statusOf(newest).state() == WorkerState.STARTING) {
				ready(newest);
			}
			this.launcher.launched.stream()
				.filter((worker) -> !worker.exited && worker.signals.contains("TERM"))
				.forEach((worker) -> worker.exit(0));
			advance(Duration.ofMillis(100));
			if (finishedReloads() > finished) {
				return;
			}
		}
		throw new AssertionError("Reload did not finish: " + this.supervisor.status());
	}

	private long finishedReloads() {
		return this.supervisor.status().events().stream().filter((event) -> event.type().equals("reload-finished")).count();
	}

	private List<WorkerState> states() {
		return this.supervisor.status().workers().stream().map(ClusterStatus.Worker::state).toList();
	}

	private ClusterStatus.Worker worker(int id) {
		return this.supervisor.status()
			.workers()
			.stream()
			.filter((worker) -> worker.id() == id)
			.reduce((older, newer) -> newer)
			.orElseThrow();
	}

	private ClusterStatus.Worker statusOf(FakeProcess process) {
		return this.supervisor.status()
			.workers()
			.stream()
			.filter((worker) -> worker.pid() != null && worker.pid() == process.pid)
			.findFirst()
			.orElse(null);
	}

	private FakeProcess last() {
		return this.launcher.launched.get(this.launcher.launched.size() - 1);
	}

	private FakeProcess lastOf(int id) {
		return this.launcher.launched.stream().filter((worker) -> worker.id() == id).reduce((a, b) -> b).orElseThrow();
	}

	static final class FakeVersions implements Versions {

		private Snapshot onDisk;

		private String failure;

		private List<Snapshot> retained = List.of();

		// Whether a version stays in preparation until release(), as unpacking takes time
		private boolean held;

		private Runnable pending;

		private RuntimeException broken;

		@Override
		public void prepare(Consumer<Event> events) {
			if (this.broken != null) {
				throw this.broken;
			}
			this.pending = () -> events.accept((this.failure != null) ? new Event.VersionFailed(this.failure)
					: new Event.VersionPrepared(this.onDisk));
			if (!this.held) {
				release();
			}
		}

		void release() {
			this.pending.run();
			this.pending = null;
		}

		@Override
		public void retain(Collection<Snapshot> inUse) {
			this.retained = List.copyOf(inUse);
		}

	}

	static final class FakeTicker implements Ticker {

		private final Instant origin = Instant.parse("2026-11-21T10:00:00Z");

		private long nanos = 1_000_000_000L;

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

		@Override
		public long nanoTime() {
			return this.nanos;
		}

		@Override
		public Instant now() {
			return this.origin.plusNanos(this.nanos);
		}

	}

	static final class FakeServiceManager implements ServiceManager {

		private final List<String> messages = new ArrayList<>();

		private Duration watchdogInterval;

		@Override
		public void ready() {
			this.messages.add("READY=1");
		}

		@Override
		public void reloading(long monotonicMicros) {
			this.messages.add("RELOADING=1 MONOTONIC_USEC=" + monotonicMicros);
		}

		@Override
		public void stopping() {
			this.messages.add("STOPPING=1");
		}

		@Override
		public void status(String status) {
			this.messages.add("STATUS=" + status);
		}

		@Override
		public Duration watchdogInterval() {
			return this.watchdogInterval;
		}

		@Override
		public void watchdog() {
			this.messages.add("WATCHDOG=1");
		}

		int count(String message) {
			return (int) this.messages.stream().filter(message::equals).count();
		}

	}

	static final class FakeLauncher implements WorkerLauncher {

		final List<FakeProcess> launched = new ArrayList<>();

		private long nextPid = 1000;

		private boolean failing;

		private final List<Integer> routes = new ArrayList<>();

		private final List<Snapshot> optimized = new ArrayList<>();

		@Override
		public void route(int workers) {
			this.routes.add(workers);
		}

		@Override
		public void optimize(Snapshot version, int count) {
			this.optimized.add(version);
		}

		@Override
		public WorkerProcess launch(int id, int generation, int logSlot, int count, Snapshot version, Exits exits)
				throws IOException {
			if (this.failing) {
				throw new IOException("no more processes");
			}
			FakeProcess process = new FakeProcess(this.nextPid++, id, generation, logSlot, count, version, exits);
			this.launched.add(process);
			return process;
		}

	}

	static final class FakeProcess implements WorkerProcess {

		private final long pid;

		private final int id;

		private final int generation;

		private final int logSlot;

		private final int count;

		private final Snapshot version;

		private final WorkerLauncher.Exits exits;

		final List<String> signals = new ArrayList<>();

		private FakeLink link;

		private boolean hung;

		private boolean exited;

		private long requests;

		private long residentBytes;

		private Duration cpuTime = Duration.ZERO;

		private long loadedClasses;

		private boolean loadingClasses;

		FakeProcess(long pid, int id, int generation, int logSlot, int count, Snapshot version,
				WorkerLauncher.Exits exits) {
			this.pid = pid;
			this.id = id;
			this.generation = generation;
			this.logSlot = logSlot;
			this.count = count;
			this.version = version;
			this.exits = exits;
		}

		Snapshot version() {
			return this.version;
		}

		int logSlot() {
			return this.logSlot;
		}

		int id() {
			return this.id;
		}

		int generation() {
			return this.generation;
		}

		int count() {
			return this.count;
		}

		void exit(int code) {
			this.exited = true;
			this.exits.exited(this.pid, code);
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public void terminate() {
			this.signals.add("TERM");
		}

		@Override
		public void dumpThreads() {
			this.signals.add("QUIT");
		}

		@Override
		public void kill() {
			this.signals.add("KILL");
		}

		@Override
		public void lowerPriority(int niceness) {
			this.signals.add("NICE " + niceness);
		}

		@Override
		public Duration cpuTime() {
			return this.cpuTime;
		}

		@Override
		public long residentBytes() {
			return this.residentBytes;
		}

	}

	static final class FakeLink implements WorkerLink {

		private final int workerId;

		private final long pid;

		private final List<ControlMessage> sent = new ArrayList<>();

		private boolean closed;

		FakeLink(int workerId, long pid) {
			this.workerId = workerId;
			this.pid = pid;
		}

		List<ControlMessage> broadcasts() {
			return this.sent.stream().filter(Broadcast.class::isInstance).toList();
		}

		Boolean lead() {
			return this.sent.stream()
				.filter(ControlMessage.Lead.class::isInstance)
				.map((message) -> ((ControlMessage.Lead) message).lead())
				.reduce((first, last) -> last)
				.orElse(null);
		}

		@Override
		public int workerId() {
			return this.workerId;
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public boolean send(ControlMessage message) {
			this.sent.add(message);
			return true;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
