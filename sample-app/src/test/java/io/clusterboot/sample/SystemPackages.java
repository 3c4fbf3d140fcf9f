package io.clusterboot.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real parts end-to-end tests use, from Debian's packages: a test installs what it
 * needs itself, as root does on these machines.
 */
final class SystemPackages {

	private SystemPackages() {
	}

	/**
	 * A command, installing its package first if no directory on the {@code PATH} has it.
	 * The package lists are updated only when they are too old to install from: an update
	 * takes longer than most installs.
	 * @param command the command's name, such as {@code chromium}
	 * @param debianPackage the package that has it
	 * @return the command's executable
	 */
	static Path require(String command, String debianPackage) {
		return find(command).orElseGet(() -> {
			install(debianPackage);
			return find(command).orElseThrow(() -> new IllegalStateException("Could not install " + debianPackage
					+ " with apt-get (this needs root); install Debian's " + debianPackage + " package"));
		});
	}

	private static Optional<Path> find(String command) {
		return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
			.filter((entry) -> !entry.isEmpty())
			.map((entry) -> Path.of(entry, command))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private static void install(String debianPackage) {
		String install = "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + debianPackage;
		ProcessBuilder apt = new ProcessBuilder("sh", "-c", install + " || (apt-get update -qq && " + install + ")")
			.inheritIO();
		try {
			Process process = apt.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run apt-get", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
