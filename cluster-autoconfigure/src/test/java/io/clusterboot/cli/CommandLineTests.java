package io.clusterboot.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the command line refuses before it looks for a cluster. Commands against a running
 * cluster are checked end to end ({@code CommandLineIT}).
 */
class CommandLineTests {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final CommandLine commandLine = new CommandLine(new PrintStream(this.out, true, StandardCharsets.UTF_8),
			InputStream.nullInputStream(), Path.of("app.jar"));

	@Test
	void helpPrintsTheUsage() {
		this.commandLine.run(List.of("--help"));
		assertThat(this.out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -Djarmode=cluster -jar app.jar")
			.contains("status [--json]", "top", "scale N|+N|-N", "restart ID", "stop");
	}

	@Test
	void anUnknownCommandIsAnErrorWithTheUsage() {
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("frobnicate")))
			.withMessageStartingWith("Unknown command 'frobnicate'")
			.withMessageContaining("Usage:");
	}

	@Test
	void argumentsAreChecked() {
		assertThatExceptionOfType(CommandLineException.class).isThrownBy(() -> this.commandLine.run(List.of()))
			.withMessageStartingWith("No command");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("scale")))
			.withMessageStartingWith("scale needs a value");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("scale", "many")))
			.withMessageStartingWith("scale takes a number, not 'many'");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("restart", "4294967297")))
			.withMessageStartingWith("restart takes a number up to 2147483647, not '4294967297'");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("logs", "--lines", "4294967296")))
			.withMessageStartingWith("--lines takes a number up to 2147483647");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("restart", "1", "2")))
			.withMessageStartingWith("Unexpected 2 after restart");
		assertThatExceptionOfType(CommandLineException.class)
			.isThrownBy(() -> this.commandLine.run(List.of("--verbose", "status")))
			.withMessageStartingWith("Unknown option --verbose");
	}

}
