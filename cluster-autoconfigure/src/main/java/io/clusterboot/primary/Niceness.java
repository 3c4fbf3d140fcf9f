package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import io.clusterboot.posix.LibC;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lowers the scheduling priority of a process, every thread of it: Linux keeps a nice
 * value per thread, and threads inherit it from the thread that creates them. Raising a
 * nice value needs no privilege; lowering it again does, so it only ever goes up.
 */
final class Niceness {

	private static final Log logger = LogFactory.getLog(Niceness.class);

	private static final int PRIO_PROCESS = 0;

	private Niceness() {
	}

	/**
	 * Set the nice value of every thread of a process.
	 * @param pid the process
	 * @param niceness the nice value, 0 (normal) to 19 (lowest)
	 */
	static void set(long pid, int niceness) {
		setWhere(pid, niceness, (name) -> true);
	}

	/**
	 * Set the nice value of this JVM's JIT compiler threads. The primary's code is hot
	 * only while it starts, when its compilations compete for the cores with the
	 * workers that boot; compiled later, nothing is lost.
	 * @param niceness the nice value, 0 (normal) to 19 (lowest)
	 */
	static void setForCompilerThreads(int niceness) {
		setWhere(ProcessHandle.current().pid(), niceness, (name) -> name.contains("CompilerThre"));
	}

	private static void setWhere(long pid, int niceness, Predicate<String> threadName) {
		if (!Platform.isLinux()) {
			return;
		}
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks) {
				try {
					if (threadName.test(Files.readString(task.resolve("comm")).trim())) {
						LibC.INSTANCE.setpriority(PRIO_PROCESS, Integer.parseInt(task.getFileName().toString()),
								niceness);
					}
				}
				catch (LastErrorException | IOException ex) {
					// The thread ended meanwhile
				}
			}
		}
		catch (IOException | UnsatisfiedLinkError ex) {
			logger.debug("Cannot set the nice value of process " + pid + ": " + ex.getMessage());
		}
	}

}
