package io.clusterboot.primary;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.primary.socket.ClusterSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's output and when its exit is reported, with real processes: a shell stands
 * in for the worker's JVM, and the primary's own output is one the test can hold back,
 * as a slow terminal or a full journal does.
 */
class ProcessWorkerLauncherTests {

	private final CountDownLatch outputTakesLines = new CountDownLatch(1);

	private final WorkerOutput output = new WorkerOutput(new OutputStream() {

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			try {
				ProcessWorkerLauncherTests.this.outputTakesLines.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException();
			}
		}

	});

	/** The exits reported, each with the worker's last kept line at that moment. */
	private final List<String> exits = new CopyOnWriteArrayList<>();

	private ClusterSocket socket;

	private ControlServer control;

	private WorkerProcess worker;

	/** Where a test's shell writes the pid of a process it leaves running. */
	@TempDir
	Path pids;

	@BeforeEach
	void open() throws IOException {
		// Not shared: that socket takes the place of this process's standard input, which
		// is the test runner's command channel
		this.socket = ClusterSocket.bind(Listen.REUSEPORT, InetAddress.getLoopbackAddress(), 0, 16);
		this.control = ControlServer.open();
	}

	@AfterEach
	void close() throws IOException {
		this.outputTakesLines.countDown();
		if (this.worker != null) {
			ProcessHandle.of(this.worker.pid()).ifPresent(ProcessHandle::destroyForcibly);
		}
		Path leftRunning = this.pids.resolve("sleeper");
		if (Files.exists(leftRunning)) {
			ProcessHandle.of(Long.parseLong(Files.readString(leftRunning).trim()))
				.ifPresent(ProcessHandle::destroyForcibly);
		}
		this.control.close();
		this.socket.close();
	}

	@Test
	void anExitIsReportedOnceTheWorkersLastLinesAreOut() throws IOException {
		this.worker = launch("echo last words; exit 3");
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(this.exits::isEmpty);
		this.outputTakesLines.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.exits.isEmpty());
		assertThat(this.exits).containsExactly("exit 3 after worker-1 | last words");
	}

	@Test
	void anOutputThatTakesNoLinesHoldsTheExitBackOnlyBriefly() throws IOException {
		this.worker = launch("echo last words; exit 4");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.exits.isEmpty());
		assertThat(this.exits).containsExactly("exit 4 after ");
	}

	@Test
	void aProcessTheWorkerStartedKeepsItsOutputAfterTheWorkerExits() throws IOException {
		this.outputTakesLines.countDown();
		this.worker = launch("(sleep 0.3; echo late words; echo still here) & exit 3");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.exits.isEmpty());
		assertThat(this.exits).containsExactly("exit 3 after worker-1 | still here");
		assertThat(this.output.last(2)).containsExactly("worker-1 | late words", "worker-1 | still here");
		try (Stream<Path> names = Files.list(this.control.socketPath().getParent())) {
			assertThat(names).as("the pipe's name is gone").containsExactly(this.control.socketPath());
		}
	}

	@Test
	void aProcessThatKeepsTheWorkersOutputOpenHoldsTheExitBackOnlyBriefly() throws IOException {
		this.outputTakesLines.countDown();
		Path sleeperPid = this.pids.resolve("sleeper");
		this.worker = launch("sleep 60 & echo $! > " + sleeperPid + "; echo $!; exit 4");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.exits.isEmpty());
		String sleeper = Files.readString(sleeperPid).trim();
		assertThat(this.exits).containsExactly("exit 4 after worker-1 | " + sleeper);
		assertThat(ProcessHandle.of(Long.parseLong(sleeper)).map(ProcessHandle::isAlive)).hasValue(true);
	}

	private WorkerProcess launch(String script) throws IOException {
		ProcessWorkerLauncher launcher = new ProcessWorkerLauncher(List.of("sh", "-c", script), this.socket,
				this.control, this.output, false, null, null, null, null);
		return launcher.launch(1, 1, 1, 1, null,
				(pid, exitCode) -> this.exits.add("exit " + exitCode + " after " + String.join("", this.output.last(1))));
	}

}
