package io.clusterboot.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.clusterboot.protocol.AdminSocket;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line of a running cluster: {@code java -Djarmode=cluster -jar app.jar
 * COMMAND}, talking to the primary over its admin socket.
 */
final class CommandLine {

	static final String USAGE = """
			Usage: java -Djarmode=cluster -jar app.jar [--pid PID | --socket PATH] COMMAND

			Commands:
			  status [--json]   every worker: id, pid, state, version, uptime, cpu, memory, requests, restarts
			  top               the status, redrawn every second (q and Enter to quit)
			  logs [--lines N]  the workers' last N lines of output (15), then every new one
			  reload            replace every worker with the version on disk, new ones first
			  rollback          reload the previous version
			  scale N|+N|-N     run N workers, or N more or fewer
			  restart ID        replace worker ID, the new one first
			  stop              drain every worker and stop the cluster

			Options:
			  --pid PID         the cluster whose primary has this pid, when several run
			  --socket PATH     the admin socket of a cluster started with cluster.admin-socket
			""";

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final PrintStream out;

	private final InputStream in;

	private final String applicationName;

	CommandLine(PrintStream out, InputStream in, Path jar) {
		this.out = out;
		this.in = in;
		this.applicationName = AdminSocket.applicationName(jar);
	}

	/**
	 * Run a command.
	 * @param arguments the command line's arguments
	 * @throws CommandLineException if the command is wrong or fails
	 */
	void run(List<String> arguments) {
		Deque<String> words = new ArrayDeque<>(arguments);
		Path socket = null;
		Long pid = null;
		while (!words.isEmpty() && words.peek().startsWith("--")) {
			String option = words.pop();
			switch (option) {
				case "--socket" -> socket = Path.of(value(words, option));
				case "--pid" -> pid = number(value(words, option), "--pid");
				case "--help" -> {
					this.out.print(USAGE);
					return;
				}
				default -> throw usage("Unknown option " + option);
			}
		}
		if (words.isEmpty()) {
			throw usage("No command");
		}
		String command = words.pop();
		switch (command) {
			case "status" -> {
				boolean asJson = words.remove("--json");
				expectNoMore(words, command);
				try (AdminClient client = AdminClient.connect(this.applicationName, socket, pid)) {
					ClusterStatus status = client.status();
					this.out.print(asJson ? json.writeValueAsString(status) + "\n" : StatusTable.render(status));
				}
			}
			case "top" -> {
				expectNoMore(words, command);
				try (AdminClient client = AdminClient.connect(this.applicationName, socket, pid)) {
					Top.run(client, this.out, this.in, Duration.ofSeconds(1));
				}
			}
			case "logs" -> {
				int lines = 15;
				if ("--lines".equals(words.peek())) {
					words.pop();
					lines = intNumber(value(words, "--lines"), "--lines");
				}
				expectNoMore(words, command);
				try (AdminClient client = AdminClient.connect(this.applicationName, socket, pid)) {
					// The primary keeps the last 2,000
					client.followLogs(Math.max(lines, 0), this.out::println);
				}
			}
			case "reload", "rollback", "stop" -> {
				expectNoMore(words, command);
				send(socket, pid, command, null, null);
			}
			case "scale" -> {
				String count = value(words, command);
				long number = number(count, command);
				expectNoMore(words, command);
				boolean relative = count.startsWith("+") || count.startsWith("-");
				try (AdminClient client = AdminClient.connect(this.applicationName, socket, pid)) {
					long instances = relative ? client.status().desired() + number : number;
					if (instances < 1) {
						// 0 and negative counts mean "per processor" to cluster.instances
						throw new CommandLineException("Refused: scale to " + instances + " workers; at least 1");
					}
					report(client.command("scale", Long.toString(instances), null));
				}
			}
			case "restart" -> {
				int id = intNumber(value(words, command), "restart");
				expectNoMore(words, command);
				send(socket, pid, command, null, id);
			}
			default -> throw usage("Unknown command '" + command + "'");
		}
	}

	private void send(Path socket, Long pid, String action, String instances, Integer workerId) {
		try (AdminClient client = AdminClient.connect(this.applicationName, socket, pid)) {
			report(client.command(action, instances, workerId));
		}
	}

	private void report(CommandReply reply) {
		if (!reply.accepted()) {
			throw new CommandLineException("Refused: " + reply.message());
		}
		this.out.println("Accepted: " + reply.message());
	}

	private static String value(Deque<String> words, String after) {
		if (words.isEmpty()) {
			throw usage(after + " needs a value");
		}
		return words.pop();
	}

	private static long number(String text, String what) {
		try {
			return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
		}
		catch (NumberFormatException ex) {
			throw usage(what + " takes a number, not '" + text + "'");
		}
	}

	private static int intNumber(String text, String what) {
		long number = number(text, what);
		if (number != (int) number) {
			throw usage(what + " takes a number up to " + Integer.MAX_VALUE + ", not '" + text + "'");
		}
		return (int) number;
	}

	private static void expectNoMore(Deque<String> words, String command) {
		if (!words.isEmpty()) {
			throw usage("Unexpected " + words.peek() + " after " + command);
		}
	}

	private static CommandLineException usage(String problem) {
		return new CommandLineException(problem + "\n\n" + USAGE);
	}

}
