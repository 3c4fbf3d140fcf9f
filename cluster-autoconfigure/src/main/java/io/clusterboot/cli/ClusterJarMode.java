package io.clusterboot.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.loader.jarmode.JarMode;
import org.springframework.boot.loader.jarmode.JarModeErrorException;

/**
 * {@code java -Djarmode=cluster -jar app.jar COMMAND}: the command line of the running
 * cluster of this jar, through Spring Boot's jar mode extension point. It starts no
 * application context.
 */
public class ClusterJarMode implements JarMode {

	@Override
	public boolean accepts(String mode) {
		return "cluster".equals(mode);
	}

	@Override
	public void run(String mode, String[] args) {
		try {
			// java -jar puts the jar, and only it, on the class path
			Path jar = Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
			new CommandLine(System.out, System.in, jar).run(List.of(args));
		}
		catch (CommandLineException ex) {
			throw new JarModeErrorException(ex.getMessage());
		}
	}

}
