package io.clusterboot.primary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The workers' output, which passes through the primary: each line goes to the
 * primary's standard output as it comes, whole (lines of two workers never interleave),
 * and the last lines are kept for the command line's {@code logs}, which can follow new
 * ones too.
 */
final class WorkerOutput {

	/**
	 * Lines kept for {@code logs}.
	 */
	static final int KEPT_LINES = 2000;

	private static final int MAX_LINE_BYTES = 64 * 1024;

	private static final int CHUNK_BYTES = 8 * 1024;

	private static final int FOLLOWER_QUEUE_LINES = 10_000;

	private final OutputStream out;

	private final Deque<String> recent = new ArrayDeque<>();

	private final Set<BlockingQueue<String>> followers = new CopyOnWriteArraySet<>();

	/**
	 * Pass output on to a stream.
	 * @param out where every line goes, such as the primary's standard output
	 */
	WorkerOutput(OutputStream out) {
		this.out = out;
	}

	/**
	 * Copy a worker's output, on a thread of its own, until the worker closes it.
	 * @param workerId the worker's id, which prefixes its lines in {@code logs}
	 * @param output the worker's output
	 * @return completed once every line is copied
	 */
	CompletableFuture<Void> copy(int workerId, InputStream output) {
		CompletableFuture<Void> copied = new CompletableFuture<>();
		Thread copier = new Thread(() -> {
			try {
				copyLines(workerId, output);
			}
			finally {
				copied.complete(null);
			}
		}, "cluster-output-" + workerId);
		copier.setDaemon(true);
		copier.start();
		return copied;
	}

	void copyLines(int workerId, InputStream output) {
		byte[] line = new byte[MAX_LINE_BYTES];
		int length = 0;
		// Whatever the pipe holds at once, not a byte per call: a worker that logs every
		// request sends tens of thousands of lines a second
		byte[] chunk = new byte[CHUNK_BYTES];
		try (output) {
			for (int read = output.read(chunk); read != -1; read = output.read(chunk)) {
				for (int i = 0; i < read; i++) {
					line[length++] = chunk[i];
					if (chunk[i] == '\n' || length == line.length) {
						emit(workerId, line, length);
						length = 0;
					}
				}
			}
			if (length > 0) {
				line[length++] = '\n';
				emit(workerId, line, length);
			}
		}
		catch (IOException ex) {
			// The worker is gone
		}
	}

	private void emit(int workerId, byte[] line, int length) {
		try {
			// One write per line: a PrintStream writes it whole
			this.out.write(Arrays.copyOf(line, length));
			this.out.flush();
		}
		catch (IOException ex) {
			// The primary's own output is gone; keep the lines for logs
		}
		String text = "worker-" + workerId + " | "
				+ new String(line, 0, length, StandardCharsets.UTF_8).stripTrailing();
		synchronized (this.recent) {
			if (this.recent.size() == KEPT_LINES) {
				this.recent.removeFirst();
			}
			this.recent.addLast(text);
			// A follower that falls this far behind loses lines rather than slow the workers
			this.followers.forEach((follower) -> follower.offer(text));
		}
	}

	/**
	 * The last lines, oldest first.
	 * @param count how many
	 * @return the lines
	 */
	List<String> last(int count) {
		synchronized (this.recent) {
			List<String> lines = new ArrayList<>(this.recent);
			return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
		}
	}

	/**
	 * The last lines, and every line after them.
	 * @param count how many of the last lines
	 * @return a queue that starts with the last lines, until {@link #unfollow}
	 */
	BlockingQueue<String> follow(int count) {
		BlockingQueue<String> follower = new LinkedBlockingQueue<>(FOLLOWER_QUEUE_LINES);
		synchronized (this.recent) {
			follower.addAll(last(count));
			this.followers.add(follower);
		}
		return follower;
	}

	void unfollow(BlockingQueue<String> follower) {
		this.followers.remove(follower);
	}

}
