package io.clusterboot.primary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerOutputTests {

	private final ByteArrayOutputStream primaryOutput = new ByteArrayOutputStream();

	private final WorkerOutput output = new WorkerOutput(this.primaryOutput);

	@Test
	void everyLineReachesThePrimarysOutputAsItWasAndIsKeptWithItsWorker() {
		this.output.copyLines(2, input("Started SampleApplication\nserving\nno newline at the end"));
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8))
			.isEqualTo("Started SampleApplication\nserving\nno newline at the end\n");
		assertThat(this.output.last(2)).containsExactly("worker-2 | serving", "worker-2 | no newline at the end");
	}

	@Test
	void copyingCompletesOnceEveryLineIsOut() throws Exception {
		String lines = String.join("\n", IntStream.rangeClosed(1, 2000).mapToObj(Integer::toString).toList()) + "\n";
		PipedOutputStream worker = new PipedOutputStream();
		CompletableFuture<Void> copied = this.output.copy(1, new PipedInputStream(worker, 64 * 1024));
		worker.write(lines.getBytes(StandardCharsets.UTF_8));
		// Until the worker closes its output, more may come
		assertThat(copied).isNotDone();
		worker.close();
		copied.get(10, TimeUnit.SECONDS);
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8)).isEqualTo(lines);
	}

	@Test
	void onlyTheLastLinesAreKept() {
		String lines = String.join("\n", IntStream.rangeClosed(1, WorkerOutput.KEPT_LINES + 10)
			.mapToObj(Integer::toString)
			.toList()) + "\n";
		this.output.copyLines(1, input(lines));
		List<String> kept = this.output.last(Integer.MAX_VALUE);
		assertThat(kept).hasSize(WorkerOutput.KEPT_LINES).startsWith("worker-1 | 11").endsWith("worker-1 | 2010");
	}

	@Test
	void aFollowerGetsTheLastLinesThenEveryNewOne() {
		this.output.copyLines(1, input("one\ntwo\n"));
		BlockingQueue<String> follower = this.output.follow(1);
		this.output.copyLines(2, input("three\n"));
		this.output.unfollow(follower);
		this.output.copyLines(1, input("four\n"));
		List<String> received = new ArrayList<>();
		follower.drainTo(received);
		assertThat(received).containsExactly("worker-1 | two", "worker-2 | three");
	}

	@Test
	void aLineLongerThanTheLimitIsSplitNotLost() {
		String longLine = "x".repeat(70 * 1024);
		this.output.copyLines(1, input(longLine + "\n"));
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8).replace("\n", "")).isEqualTo(longLine);
		assertThat(this.output.last(10)).hasSize(2);
	}

	@Test
	void linesThatArriveInPiecesAreEmittedWhole() {
		// A pipe gives what the worker wrote so far: here three bytes at a time, which also
		// splits the two bytes of a UTF-8 'é'
		InputStream trickle = new FilterInputStream(input("café au lait\nsecond line\n")) {

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				return super.read(buffer, offset, Math.min(length, 3));
			}

		};
		this.output.copyLines(1, trickle);
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8)).isEqualTo("café au lait\nsecond line\n");
		assertThat(this.output.last(2)).containsExactly("worker-1 | café au lait", "worker-1 | second line");
	}

	private static ByteArrayInputStream input(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

}
