package io.clusterboot.posix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lowers the scheduling priority of threads: of a process, every thread of it, or of the
 * calling thread. Linux keeps a nice value per thread, and threads inherit it from the
 * thread that creates them. Raising a nice value needs no privilege; lowering it again
 * does, so it only ever goes up. Elsewhere a nice value is the whole process's, and
 * nothing is changed.
 */
public final class Niceness {

	private static final Log logger = LogFactory.getLog(Niceness.class);

	private static final int PRIO_PROCESS = 0;

	/**
	 * With {@code PRIO_PROCESS}, Linux takes a thread id; 0 is the calling thread.
	 */
	private static final int CALLING_THREAD = 0;

	private Niceness() {
	}

	/**
	 * Set the nice value of every thread of a process.
	 * @param pid the process
	 * @param niceness the nice value, 0 (normal) to 19 (lowest)
	 */
	public static void set(long pid, int niceness) {
		setWhere(pid, niceness, (name) -> true);
	}

	/**
	 * Set the nice value of this JVM's JIT compiler threads. The primary's code is hot
	 * only while it starts, when its compilations compete for the cores with the
	 * workers that boot; compiled later, nothing is lost.
	 * @param niceness the nice value, 0 (normal) to 19 (lowest)
	 */
	public static void setForCompilerThreads(int niceness) {
		setWhere(ProcessHandle.current().pid(), niceness, (name) -> name.contains("CompilerThre"));
	}

	/**
	 * Set the nice value of the calling thread, and of the threads it creates from now on.
	 * @param niceness the nice value, 0 (normal) to 19 (lowest)
	 */
	public static void setForCallingThread(int niceness) {
		if (Platform.isLinux()) {
			try {
				LibC.INSTANCE.setpriority(PRIO_PROCESS, CALLING_THREAD, niceness);
			}
			catch (LastErrorException | UnsatisfiedLinkError ex) {
				logger.debug("Cannot set the nice value of this thread: " + ex.getMessage());
			}
		}
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
