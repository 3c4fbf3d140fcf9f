package io.clusterboot.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.arguments;
import static io.clusterboot.sample.SampleCluster.isAlive;
import static io.clusterboot.sample.SampleCluster.signal;
import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster runtime, end to end: the sample jar started with {@code java -jar}, real
 * HTTP and real signals.
 */
class ClusterRuntimeIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	private SampleCluster start(String... args) {
		return this.clusters.start(args);
	}

	@Test
	void aPrimaryStartedWithNohupStillReloadsOnHupAndSigtermStopsEveryWorkerAndExitsZero() {
		// nohup leaves SIGHUP ignored, and the JVM installs no handler for an ignored signal
		SampleCluster cluster = this.clusters.startUnder(List.of("nohup"), "--cluster.instances=2");
		Set<Long> before = SampleCluster.pids(cluster.awaitReady(2));
		assertThat(cluster.output()).contains("SIGHUP was ignored when the primary started");
		signal(cluster.primary().pid(), "HUP");
		JsonNode reloaded = cluster.awaitReloaded(before, 2);
		assertThat(worker(reloaded, 1).orElseThrow().get("generation").asInt()).isEqualTo(2);
		Set<Long> workerPids = new HashSet<>(cluster.seenPids());
		signal(cluster.primary().pid(), "TERM");
		await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.primary().isAlive());
		assertThat(cluster.primary().exitValue()).isZero();
		assertThat(workerPids).hasSize(4).noneMatch(SampleCluster::isAlive);
		assertThat(cluster.output()).contains("Cluster stopped")
			.doesNotContain("Application run failed")
			.doesNotContain("Exception");
	}

	@Test
	void twoWorkersServeOnePortFromThreadsBelowTheirCompilers() throws IOException {
		SampleCluster cluster = start("--cluster.instances=2");
		JsonNode status = cluster.awaitReady(2);
		assertThat(status.get("mode").asString()).isEqualTo("cluster");
		assertThat(status.get("listen").asString()).isEqualTo("shared");
		assertThat(status.get("desired").asInt()).isEqualTo(2);
		assertThat(status.at("/primary/pid").asLong()).isEqualTo(cluster.primary().pid());
		Set<Long> workerPids = SampleCluster.pids(status);
		assertThat(workerPids).hasSize(2).doesNotContain(cluster.primary().pid());
		Set<Long> answeringPids = new HashSet<>();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> answeringPids.add(cluster.getJson("/hello").get("pid").asLong())
					&& answeringPids.containsAll(workerPids));
		assertThat(answeringPids).isEqualTo(workerPids);
		assertThat(cluster.output()).contains("Cluster primary (pid " + cluster.primary().pid() + ") starting 2 workers");
		// Each worker is told its share of the processors, and on one processor (the serial
		// collector) gets the smaller young generation
		int share = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		assertThat(workerPids).allSatisfy((worker) -> assertThat(arguments(worker))
			.contains("-XX:ActiveProcessorCount=" + share)
			.matches((arguments) -> arguments.contains("-XX:NewRatio=5") == (share == 1), "NewRatio=5 on one processor"));
		for (long worker : workerPids) {
			// Threads that served requests run below the JIT's compiler threads
			// C1's and C2's, or C1's alone where the tests run without C2 (it.jvm-options)
			Map<String, Set<Integer>> niceValues = niceValuesByThreadName(worker);
			assertThat(niceValues.get("C1 CompilerThre")).containsExactly(0);
			assertThat(niceValues.getOrDefault("C2 CompilerThre", Set.of(0))).containsExactly(0);
			assertThat(niceValues.entrySet()
				.stream()
				.filter((thread) -> thread.getKey().startsWith("http-nio-"))
				.flatMap((thread) -> thread.getValue().stream())).contains(5);
		}
	}

	/**
	 * The nice values of a process's threads, by thread name as Linux keeps it (the first
	 * 15 characters).
	 */
	private static Map<String, Set<Integer>> niceValuesByThreadName(long pid) throws IOException {
		Map<String, Set<Integer>> niceValues = new HashMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks) {
				String stat = Files.readString(task.resolve("stat"));
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				niceValues.computeIfAbsent(name, (key) -> new HashSet<>()).add(Integer.parseInt(fields[16]));
			}
		}
		return niceValues;
	}

	@Test
	void killedWorkerIsReplacedWithTheSameId() {
		SampleCluster cluster = start("--cluster.instances=2");
		JsonNode before = worker(cluster.awaitReady(2), 1).orElseThrow();
		long killedPid = before.get("pid").asLong();
		signal(killedPid, "KILL");
		JsonNode after = await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> worker(cluster.status(), 1).orElseThrow(),
					(worker) -> worker.get("state").asString().equals("READY")
							&& worker.get("pid").asLong() != killedPid);
		assertThat(after.get("generation").asInt()).isEqualTo(2);
		assertThat(after.get("restarts").asInt()).isEqualTo(1);
		assertThat(after.get("lastExitCode").asInt()).isEqualTo(137);
		assertThat(after.get("lastExit").asString()).isEqualTo("exited on SIGKILL (137): killed, possibly out of memory");
		assertThat(cluster.awaitReady(2).get("workers")).hasSize(2);
	}

	@Test
	void workerFrozenRightAfterItsLaunchIsKilledAndReplaced() {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.heartbeat-timeout=10s");
		long frozenPid = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> firstWorker(cluster.primary()), (pid) -> pid > 0);
		signal(frozenPid, "STOP");
		cluster.seenPids().add(frozenPid);
		JsonNode status = await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(cluster::status, (current) -> SampleCluster.readyWorkers(current).size() == 2
					&& !SampleCluster.pids(current).contains(frozenPid));
		assertThat(isAlive(frozenPid)).isFalse();
		assertThat(status.get("workers")).allSatisfy((worker) -> assertThat(worker.get("restarts").asInt()).isZero());
		assertThat(cluster.output()).contains("(pid " + frozenPid + ") is stuck: not connected, and no CPU used, for 10 s");
	}

	@Test
	void killedPrimaryLeavesNoWorkerBehindAndFreesThePort() throws IOException {
		SampleCluster cluster = start("--cluster.instances=2");
		cluster.awaitReady(2);
		Set<Long> workerPids = new HashSet<>(cluster.seenPids());
		signal(cluster.primary().pid(), "KILL");
		await().atMost(Duration.ofSeconds(40)).until(() -> workerPids.stream().noneMatch(SampleCluster::isAlive));
		try (ServerSocket socket = new ServerSocket(cluster.port(), 50, InetAddress.getLoopbackAddress())) {
			assertThat(socket.isBound()).isTrue();
		}
	}

	@Test
	void applicationThatFailsOnStartupStopsTheClusterWithTheReason() {
		SampleCluster cluster = start("--cluster.instances=2", "--sample.fail-on-startup=true",
				"--cluster.restart.max-restarts=1");
		await().atMost(Duration.ofSeconds(90)).until(() -> !cluster.primary().isAlive());
		assertThat(cluster.primary().exitValue()).isNotZero();
		assertThat(cluster.output()).contains("sample.fail-on-startup is true: refusing to start")
			.contains("APPLICATION FAILED TO START")
			.containsPattern("Worker \\d exited with code 1 before it became ready, 2 times in a row")
			.contains("cluster.restart.max-restarts");
	}

	@Test
	void portInUseStopsStartupBeforeAnyWorker() throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			SampleCluster cluster = this.clusters.startWith(taken.getLocalPort(),
					List.of("--cluster.instances=2", "--server.port=" + taken.getLocalPort()));
			await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.primary().isAlive());
			assertThat(cluster.primary().exitValue()).isNotZero();
			assertThat(cluster.output()).contains("Port " + taken.getLocalPort() + " was already in use")
				.doesNotContain("[worker-");
		}
	}

	@Test
	void invalidInstancesStopStartupNamingTheProperty() {
		SampleCluster cluster = start("--cluster.instances=banana");
		await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.primary().isAlive());
		assertThat(cluster.primary().exitValue()).isNotZero();
		assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
			.contains("cluster.instances")
			.contains("banana")
			.contains("'max'");
	}

	@Test
	void portZeroIsBoundOnceAndSharedByEveryWorker() {
		SampleCluster cluster = this.clusters.startWith(0,
				List.of("--server.port=0", "--server.address=127.0.0.1", "--cluster.instances=2"));
		int port = await().atMost(Duration.ofSeconds(30)).until(() -> boundPort(cluster.output()), (p) -> p > 0);
		JsonNode status = SampleCluster.parse(await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> SampleCluster.request(port, "/actuator/cluster").body(), (body) -> body.contains("READY")));
		assertThat(status.get("address").asString()).isEqualTo("127.0.0.1:" + port);
		assertThat(SampleCluster.request(port, "/hello").body()).contains("\"worker\"");
	}

	@Test
	void ipv6LoopbackWorks() {
		SampleCluster cluster = start("--cluster.instances=2", "--server.address=::1").requestingHost("[::1]");
		assertThat(cluster.awaitReady(2).get("address").asString())
			.isEqualTo("[0:0:0:0:0:0:0:1]:" + cluster.port());
		assertThat(cluster.getJson("/hello").get("worker").asInt()).isPositive();
	}

	@Test
	void reusePortModeServesFromEveryWorker() {
		SampleCluster cluster = start("--cluster.instances=2", "--cluster.listen=reuseport");
		JsonNode status = cluster.awaitReady(2);
		assertThat(status.get("listen").asString()).isEqualTo("reuseport");
		Set<Long> answeringPids = new HashSet<>();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> answeringPids.add(cluster.getJson("/hello").get("pid").asLong()) && answeringPids.size() == 2);
	}

	@Test
	void oneInstanceRunsAsASingleJvm() {
		SampleCluster cluster = start("--cluster.instances=1");
		JsonNode status = await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(cluster::status, (body) -> body.has("mode"));
		assertThat(status.get("mode").asString()).isEqualTo("single");
		JsonNode hello = cluster.getJson("/hello");
		assertThat(hello.get("worker").asInt()).isZero();
		assertThat(hello.get("pid").asLong()).isEqualTo(cluster.primary().pid());
	}

	/**
	 * The first child of the primary that is a worker: its environment holds the worker
	 * contract. A child the JVM just forked still has the primary's environment and
	 * command line until it runs its own program (JNA forks one to find the C library).
	 */
	private static long firstWorker(Process primary) {
		return primary.children()
			.filter(ClusterRuntimeIT::isWorker)
			.findFirst()
			.map(ProcessHandle::pid)
			.orElse(0L);
	}

	private static boolean isWorker(ProcessHandle process) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"), StandardCharsets.ISO_8859_1)
				.contains("CLUSTERBOOT_WORKER_ID=");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int boundPort(String output) {
		Matcher matcher = Pattern.compile("starting \\d+ workers on [^ ]+:(\\d+)").matcher(output);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

}
