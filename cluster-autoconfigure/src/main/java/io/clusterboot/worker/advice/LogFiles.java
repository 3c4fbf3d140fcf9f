package io.clusterboot.worker.advice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;

/**
 * The files that this process's logging writes, as far as Logback tells. A worker's own
 * file, the one Spring Boot names from {@code logging.file.name} or
 * {@code logging.file.path}, is given per process; any other file that an appender
 * writes is shared by every worker.
 */
public class LogFiles {

	private static final boolean LOGBACK = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			LogFiles.class.getClassLoader());

	/**
	 * The files that every worker would write, and rotate, as well as this one.
	 * @return the files' paths, empty where the logging system is not Logback
	 */
	public List<String> sharedWithOtherProcesses() {
		if (!LOGBACK) {
			return List.of();
		}
		List<String> shared = new ArrayList<>();
		for (String file : Logback.files()) {
			if (!isThisProcesssOwn(file)) {
				shared.add(file);
			}
		}
		return shared;
	}

	private static boolean isThisProcesssOwn(String file) {
		String own = System.getProperty("LOG_FILE");
		if (own != null && Path.of(own).toAbsolutePath().normalize().equals(Path.of(file).toAbsolutePath().normalize())) {
			return true;
		}
		return Path.of(file).getFileName().toString().contains(Long.toString(ProcessHandle.current().pid()));
	}

	/**
	 * Logback's view, in a class of its own, which is loaded only where Logback is.
	 */
	private static final class Logback {

		static Set<String> files() {
			Set<String> files = new LinkedHashSet<>();
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
				for (Logger logger : context.getLoggerList()) {
					Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
					while (appenders.hasNext()) {
						if (appenders.next() instanceof FileAppender<?> file && file.getFile() != null) {
							files.add(file.getFile());
						}
					}
				}
			}
			return files;
		}

	}

}
