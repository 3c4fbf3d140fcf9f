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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers' output, which passes through the primary: each line goes to the
 * primary's standard output as it comes, whole (lines of two workers never interleave),
 * and the last lines are kept for the command line's {@code logs}, which can follow new
 * ones too.
 * <p>
 * Everything held here is bounded in size as well as in lines, since one line may be a
 * whole JSON document: the longest line written whole (in bytes), the lines kept and
 * what a follower may fall behind (in characters).
 */
final class WorkerOutput {

	/**
	 * Lines kept for {@code logs}, at most.
	 */
	static final int KEPT_LINES = 2000;

	/**
	 * Characters kept for {@code logs}, at most: a few long lines take the room of many.
	 */
	static final int KEPT_CHARS = 2 * 1024 * 1024;

	/**
	 * Characters of one line kept for {@code logs}; the primary's output has all of it.
	 * It keeps a line well inside one control message.
	 */
	static final int KEPT_LINE_CHARS = 64 * 1024;

	/**
	 * The longest line written whole. Structured logging puts a stack trace in one line,
	 * tens of kilobytes; a longer line is written in pieces of this size, each ended as a
	 * line, so that no other worker's line joins it.
	 */
	static final int MAX_LINE_BYTES = 1024 * 1024;

	private static final int CHUNK_BYTES = 8 * 1024;

	private static final int FOLLOWER_BACKLOG_LINES = 10_000;

	private static final int FOLLOWER_BACKLOG_CHARS = 4 * 1024 * 1024;

	private final OutputStream out;

	private final Deque<String> recent = new ArrayDeque<>();

	private long recentChars;

	private final Set<Follower> followers = new CopyOnWriteArraySet<>();

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
		// Grows only as far as a line needs
		byte[] line = new byte[CHUNK_BYTES];
		int length = 0;
		// Whatever the pipe holds at once, not a byte per call: a worker that logs every
		// request sends tens of thousands of lines a second
		byte[] chunk = new byte[CHUNK_BYTES];
		try (output) {
			for (int read = output.read(chunk); read != -1; read = output.read(chunk)) {
				for (int i = 0; i < read; i++) {
					if (chunk[i] == '\n') {
						emit(workerId, line, length);
						length = 0;
						continue;
					}
					if (length == line.length) {
						if (length < MAX_LINE_BYTES) {
							line = Arrays.copyOf(line, Math.min(2 * length, MAX_LINE_BYTES));
						}
						else {
							int piece = charBoundary(line, length);
							emit(workerId, line, piece);
							length -= piece;
							System.arraycopy(line, piece, line, 0, length);
						}
					}
					line[length++] = chunk[i];
				}
			}
			if (length > 0) {
				emit(workerId, line, length);
			}
		}
		catch (IOException ex) {
			// The worker is gone
		}
	}

	/**
	 * Where to cut UTF-8 bytes so that no character is split: before the last
	 * character, if the bytes end inside it.
	 * @param bytes UTF-8 bytes
	 * @param length how many of them
	 * @return how many bytes to take, {@code length} when the last character is whole
	 */
	static int charBoundary(byte[] bytes, int length) {
		int start = length - 1;
		// Back over at most three continuation bytes (10xxxxxx) to the character's first
		while (start > 0 && start > length - 4 && (bytes[start] & 0xC0) == 0x80) {
			start--;
		}
		int lead = bytes[start] & 0xFF;
		int size = (lead < 0x80) ? 1 : (lead >= 0xF0) ? 4 : (lead >= 0xE0) ? 3 : (lead >= 0xC0) ? 2 : 1;
		return (start + size > length && start > 0) ? start : length;
	}

	/**
	 * Write a line, and keep it for {@code logs}.
	 * @param workerId the worker that wrote it
	 * @param line the line's bytes, without its line end
	 * @param length how many of them
	 */
	private void emit(int workerId, byte[] line, int length) {
		byte[] whole = Arrays.copyOf(line, length + 1);
		whole[length] = '\n';
		try {
			// One write per line: a PrintStream writes it whole
			this.out.write(whole);
			this.out.flush();
		}
		catch (IOException ex) {
			// The primary's own output is gone; keep the lines for logs
		}
		keep(workerId, new String(whole, StandardCharsets.UTF_8).stripTrailing());
	}

	private void keep(int workerId, String line) {
		String text = "worker-" + workerId + " | " + cut(line);
		synchronized (this.recent) {
			while (!this.recent.isEmpty()
					&& (this.recent.size() == KEPT_LINES || this.recentChars + text.length() > KEPT_CHARS)) {
				this.recentChars -= this.recent.removeFirst().length();
			}
			this.recent.addLast(text);
			this.recentChars += text.length();
			// A follower that falls this far behind loses lines rather than slow the workers
			this.followers.forEach((follower) -> follower.offer(text));
		}
	}

	private static String cut(String line) {
		if (line.length() <= KEPT_LINE_CHARS) {
			return line;
		}
		int end = Character.isHighSurrogate(line.charAt(KEPT_LINE_CHARS - 1)) ? KEPT_LINE_CHARS - 1
				: KEPT_LINE_CHARS;
		return line.substring(0, end) + " [cut: " + (line.length() - end)
				+ " more characters, in the primary's output]";
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
	 * @return a follower that starts with the last lines, until {@link #unfollow}
	 */
	Follower follow(int count) {
		Follower follower = new Follower();
		synchronized (this.recent) {
			last(count).forEach(follower::offer);
			this.followers.add(follower);
		}
		return follower;
	}

	void unfollow(Follower follower) {
		this.followers.remove(follower);
	}

	/**
	 * Lines for one {@code logs} client, as it takes them: bounded in lines and in
	 * characters, so a client that stops reading costs the primary little. Where it lost
	 * lines, it gets a line that says how many.
	 */
	static final class Follower {

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(FOLLOWER_BACKLOG_LINES);

		private final AtomicLong chars = new AtomicLong();

		private long lostSinceLastLine;

		// Only the copying threads offer, one at a time
		private void offer(String line) {
			String missed = (this.lostSinceLastLine > 0)
					? "logs | " + this.lostSinceLastLine + " lines missed here: this client fell behind" : null;
			int entries = (missed != null) ? 2 : 1;
			long size = line.length() + ((missed != null) ? missed.length() : 0);
			if (this.lines.remainingCapacity() < entries || this.chars.get() + size > FOLLOWER_BACKLOG_CHARS) {
				this.lostSinceLastLine++;
				return;
			}
			this.chars.addAndGet(size);
			if (missed != null) {
				this.lines.add(missed);
				this.lostSinceLastLine = 0;
			}
			this.lines.add(line);
		}

		/**
		 * The next line, waiting for one up to a timeout.
		 * @param timeout how long to wait
		 * @param unit its unit
		 * @return the line, or {@code null} if none came
		 * @throws InterruptedException if interrupted while waiting
		 */
		String poll(long timeout, TimeUnit unit) throws InterruptedException {
			return taken(this.lines.poll(timeout, unit));
		}

		/**
		 * The next line, if there is one now.
		 * @return the line or {@code null}
		 */
		String poll() {
			return taken(this.lines.poll());
		}

		private String taken(String line) {
			if (line != null) {
				this.chars.addAndGet(-line.length());
			}
			return line;
		}

	}

}
