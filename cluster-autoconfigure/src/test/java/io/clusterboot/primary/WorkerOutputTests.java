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
		WorkerOutput.Follower follower = this.output.follow(1);
		this.output.copyLines(2, input("three\n"));
		this.output.unfollow(follower);
		this.output.copyLines(1, input("four\n"));
		assertThat(drain(follower)).containsExactly("worker-1 | two", "worker-2 | three");
	}

	@Test
	void aFollowerThatFallsBehindLosesLinesAndCountsThem() {
		WorkerOutput.Follower follower = this.output.follow(0);
		// 100 lines of 60 KiB: past what a follower may hold, in characters, long before
		// its count of lines
		String line = "y".repeat(60 * 1024);
		this.output.copyLines(1, input((line + "\n").repeat(100)));
		List<String> received = drain(follower);
		assertThat(received).isNotEmpty().hasSizeLessThan(100).allMatch(("worker-1 | " + line)::equals);
		// Once it caught up, it gets new lines again, after a line that says where it lost
		// how many
		this.output.copyLines(1, input("caught up\n"));
		assertThat(drain(follower)).containsExactly(
				"logs | " + (100 - received.size()) + " lines missed here: this client fell behind",
				"worker-1 | caught up");
	}

	@Test
	void aLongLineIsWrittenWholeAndKeptCut() {
		// Structured logging's stack traces are one line of tens of kilobytes
		String longLine = "x".repeat(300 * 1024);
		this.output.copyLines(1, input("before\n" + longLine + "\nafter\n"));
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8))
			.isEqualTo("before\n" + longLine + "\nafter\n");
		List<String> kept = this.output.last(3);
		assertThat(kept.get(1)).startsWith("worker-1 | xxx")
			.hasSizeLessThan(WorkerOutput.KEPT_LINE_CHARS + 100)
			.endsWith(" [cut: " + (longLine.length() - WorkerOutput.KEPT_LINE_CHARS)
					+ " more characters, in the primary's output]");
		assertThat(kept.get(2)).isEqualTo("worker-1 | after");
	}

	@Test
	void aLineLongerThanTheLimitIsWrittenAsLinesOfItsOwnWithoutSplittingACharacter() {
		// The limit falls in the middle of the three bytes of a '€'
		String longLine = "z".repeat(WorkerOutput.MAX_LINE_BYTES - 1) + "\u20ac" + "tail";
		this.output.copyLines(1, input(longLine + "\n"));
		String written = this.primaryOutput.toString(StandardCharsets.UTF_8);
		assertThat(written).isEqualTo("z".repeat(WorkerOutput.MAX_LINE_BYTES - 1) + "\n\u20actail\n");
	}

	@Test
	void aLineOfExactlyTheLimitIsWrittenWholeWithoutAnEmptyLineAfterIt() {
		String limit = "w".repeat(WorkerOutput.MAX_LINE_BYTES);
		this.output.copyLines(1, input(limit + "\nnext\n"));
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8)).isEqualTo(limit + "\nnext\n");
		assertThat(this.output.last(1)).containsExactly("worker-1 | next");
	}

	@Test
	void emptyLinesStayEmptyLines() {
		this.output.copyLines(1, input("one\n\nthree\n"));
		assertThat(this.primaryOutput.toString(StandardCharsets.UTF_8)).isEqualTo("one\n\nthree\n");
	}

	@Test
	void keptLinesAreBoundedInCharactersToo() {
		String line = "k".repeat(WorkerOutput.KEPT_LINE_CHARS);
		this.output.copyLines(1, input((line + "\n").repeat(100)));
		List<String> kept = this.output.last(Integer.MAX_VALUE);
		assertThat(kept).hasSizeLessThan(100);
		assertThat(kept.stream().mapToLong(String::length).sum()).isLessThanOrEqualTo(WorkerOutput.KEPT_CHARS);
		this.output.copyLines(2, input("short\n"));
		assertThat(this.output.last(1)).containsExactly("worker-2 | short");
	}

	@Test
	void aCharacterBoundaryIsBeforeAnUnfinishedCharacter() {
		byte[] euro = "ab\u20ac".getBytes(StandardCharsets.UTF_8);
		assertThat(WorkerOutput.charBoundary(euro, euro.length)).isEqualTo(euro.length);
		assertThat(WorkerOutput.charBoundary(euro, euro.length - 1)).isEqualTo(2);
		assertThat(WorkerOutput.charBoundary(euro, 3)).isEqualTo(2);
		byte[] ascii = "abc".getBytes(StandardCharsets.UTF_8);
		assertThat(WorkerOutput.charBoundary(ascii, 2)).isEqualTo(2);
		// Not UTF-8 at all: cut where asked
		byte[] continuations = { (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80 };
		assertThat(WorkerOutput.charBoundary(continuations, 5)).isEqualTo(5);
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

	private static List<String> drain(WorkerOutput.Follower follower) {
		List<String> lines = new ArrayList<>();
		for (String line = follower.poll(); line != null; line = follower.poll()) {
			lines.add(line);
		}
		return lines;
	}

	private static ByteArrayInputStream input(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

}
