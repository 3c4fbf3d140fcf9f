package io.clusterboot.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static io.clusterboot.sample.SampleCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -Djarmode=cluster -jar app.jar COMMAND}, run as a user runs it, from the
 * jar's directory, against clusters of that jar.
 */
class CommandLineIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@Test
	void statusListsEveryWorkerAndTheCommandsChangeTheCluster() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		JsonNode status = cluster.awaitReady(2);
		Result table = run("status");
		assertThat(table.exitCode()).isZero();
		assertThat(table.output()).contains("id", "pid", "state", "uptime", "memory", "restarts")
			.contains("2 of 2 workers ready");
		SampleCluster.pids(status).forEach((pid) -> assertThat(table.output()).contains(Long.toString(pid)));

		Result json = run("status", "--json");
		assertThat(SampleCluster.pids(SampleCluster.parse(json.output()))).isEqualTo(SampleCluster.pids(status));

		assertThat(run("scale", "3").output()).contains("Accepted: scale to 3 workers");
		assertThat(cluster.awaitReady(3).get("desired").asInt()).isEqualTo(3);
		assertThat(run("scale", "-1").output()).contains("Accepted: scale to 2 workers");
		cluster.awaitReady(2);

		long first = worker(cluster.status(), 1).orElseThrow().get("pid").asLong();
		assertThat(run("restart", "1").output()).contains("Accepted: restart of worker 1");
		await().atMost(Duration.ofSeconds(90))
			.until(() -> worker(cluster.awaitReady(2), 1).orElseThrow().get("pid").asLong() != first);

		Result unknown = run("frobnicate");
		assertThat(unknown.exitCode()).isNotZero();
		assertThat(unknown.output()).contains("Unknown command 'frobnicate'").contains("Usage:");

		assertThat(run("stop").output()).contains("Accepted: stop");
		await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.primary().isAlive());
		assertThat(cluster.primary().exitValue()).isZero();
		Result none = run("status");
		assertThat(none.exitCode()).isNotZero();
		assertThat(none.output()).contains("No running cluster of this application");
	}

	@Test
	void topShowsTheClusterLiveInATerminalUntilTheUserQuits() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		cluster.awaitReady(2);
		try (Terminal terminal = Terminal.start(SampleCluster.JAR.toAbsolutePath().getParent(),
				List.of(java(), "-Djarmode=cluster", "-jar", SampleCluster.JAR.getFileName().toString(), "top"))) {
			await().atMost(Duration.ofSeconds(30))
				.until(terminal::screen, (screen) -> screen.contains("2 of 2 workers ready"));
			assertThat(terminal.screen()).contains("(q and Enter, or Ctrl-C, to quit)");
			assertThat(run("scale", "3").exitCode()).isZero();
			JsonNode three = cluster.awaitReady(3);
			await().atMost(Duration.ofSeconds(10)).until(terminal::screen, (screen) -> screen.contains("3 of 3 workers ready")
					&& SampleCluster.pids(three).stream().allMatch((pid) -> screen.contains(Long.toString(pid))));
			terminal.type("q", "Enter");
			await().atMost(Duration.ofSeconds(10)).until(() -> !terminal.isRunning());
		}
	}

	@Test
	void logsShowTheWorkersLastLinesThenFollowNewOnes() throws IOException {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		cluster.awaitReady(2);
		cluster.get("/log?line=4242001");
		Process logs = new ProcessBuilder(java(), "-Djarmode=cluster", "-jar", SampleCluster.JAR.getFileName().toString(),
				"logs", "--lines", "200")
			.directory(SampleCluster.JAR.toAbsolutePath().getParent().toFile())
			.redirectErrorStream(true)
			.start();
		try {
			StringBuilder shown = new StringBuilder();
			Thread reader = new Thread(() -> {
				try {
					logs.getInputStream().transferTo(new OutputStream() {

						@Override
						public void write(int b) {
							synchronized (shown) {
								shown.append((char) b);
							}
						}

					});
				}
				catch (IOException ex) {
					// The process ended
				}
			});
			reader.setDaemon(true);
			reader.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> text(shown).contains("Request line 4242001"));
			cluster.get("/log?line=4242002");
			await().atMost(Duration.ofSeconds(30)).until(() -> text(shown).contains("Request line 4242002"));
			assertThat(text(shown).lines().filter((line) -> line.contains("Request line 4242002")))
				.allMatch((line) -> line.matches("worker-[12] \\| .*"));
		}
		finally {
			logs.destroyForcibly();
		}
	}

	private static String text(StringBuilder shown) {
		synchronized (shown) {
			return shown.toString();
		}
	}

	@Test
	void severalClustersOfOneJarAreChosenByPidAndOtherUsersAreDenied() {
		SampleCluster one = this.clusters.start("--cluster.instances=2");
		SampleCluster two = this.clusters.start("--cluster.instances=2");
		one.awaitReady(2);
		two.awaitReady(2);
		Result ambiguous = run("status");
		assertThat(ambiguous.exitCode()).isNotZero();
		assertThat(ambiguous.output()).contains("Several clusters of this application are running")
			.contains(Long.toString(one.primary().pid()))
			.contains(Long.toString(two.primary().pid()))
			.contains("--pid");
		Result chosen = run("--pid", Long.toString(two.primary().pid()), "status");
		assertThat(chosen.exitCode()).isZero();
		assertThat(chosen.output()).contains("primary pid " + two.primary().pid());

		String socket = one.output()
			.lines()
			.filter((line) -> line.contains("(admin socket "))
			.map((line) -> line.substring(line.indexOf("(admin socket ") + 14, line.lastIndexOf(')')))
			.findFirst()
			.orElseThrow();
		Result denied = runAs("nobody", "--socket", socket, "status");
		assertThat(denied.exitCode()).isNotZero();
		assertThat(denied.output()).contains("Permission denied: " + socket + " is another user's admin socket");
	}

	private static Result run(String... arguments) {
		return runAs(null, arguments);
	}

	/**
	 * The command line, run from the jar's directory, by another user if one is named.
	 */
	private static Result runAs(String user, String... arguments) {
		List<String> command = new ArrayList<>();
		if (user != null) {
			command.addAll(List.of(SystemPackages.require("runuser", "util-linux").toString(), "-u", user, "--"));
		}
		command.addAll(List.of(java(), "-Djarmode=cluster", "-jar", SampleCluster.JAR.getFileName().toString()));
		command.addAll(List.of(arguments));
		try {
			// To a file, so that a command line that hangs is still waited for at most 60 s
			Path output = Files.createTempFile("cluster-cli-", ".out");
			Process process = new ProcessBuilder(command)
				.directory(SampleCluster.JAR.toAbsolutePath().getParent().toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			boolean ended = process.waitFor(60, TimeUnit.SECONDS);
			if (!ended) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			Files.delete(output);
			if (!ended) {
				throw new AssertionError("The command line did not end within 60 s: " + text);
			}
			return new Result(process.exitValue(), text);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	record Result(int exitCode, String output) {
	}

}
