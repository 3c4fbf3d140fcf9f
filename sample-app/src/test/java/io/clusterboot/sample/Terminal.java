package io.clusterboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real terminal for a command with a terminal user interface: a tmux session on a
 * private tmux server, whose screen the test reads and into which it types.
 */
final class Terminal implements AutoCloseable {

	private static int started;

	private final String tmux;

	private final String server;

	private final long panePid;

	private Terminal(String tmux, String server, long panePid) {
		this.tmux = tmux;
		this.server = server;
		this.panePid = panePid;
	}

	/**
	 * Run a command in a new 160 by 40 terminal.
	 * @param directory the working directory
	 * @param command the command line
	 * @return the terminal
	 */
	static synchronized Terminal start(Path directory, List<String> command) {
		String tmux = SystemPackages.require("tmux", "tmux").toString();
		String server = "cluster-it-" + ProcessHandle.current().pid() + "-" + (++started);
		List<String> session = new ArrayList<>(List.of(tmux, "-L", server, "new-session", "-d", "-x", "160", "-y",
				"40", "-c", directory.toAbsolutePath().toString()));
		session.addAll(command);
		run(session);
		long pid = Long.parseLong(run(List.of(tmux, "-L", server, "display-message", "-p", "#{pane_pid}")).trim());
		return new Terminal(tmux, server, pid);
	}

	/**
	 * What the terminal shows now.
	 * @return the screen's text
	 */
	String screen() {
		return run(List.of(this.tmux, "-L", this.server, "capture-pane", "-p"));
	}

	/**
	 * Type, as a user does.
	 * @param keys the keys, in tmux's names ({@code q}, {@code Enter})
	 */
	void type(String... keys) {
		List<String> command = new ArrayList<>(List.of(this.tmux, "-L", this.server, "send-keys"));
		command.addAll(List.of(keys));
		run(command);
	}

	/**
	 * Whether the command still runs.
	 * @return whether it does
	 */
	boolean isRunning() {
		return ProcessHandle.of(this.panePid).map(ProcessHandle::isAlive).orElse(false);
	}

	@Override
	public void close() {
		ProcessHandle.of(this.panePid).ifPresent((command) -> {
			command.descendants().forEach(ProcessHandle::destroyForcibly);
			command.destroyForcibly();
		});
		// This test's own tmux server, on its private socket
		try {
			new ProcessBuilder(this.tmux, "-L", this.server, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// Gone already
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
