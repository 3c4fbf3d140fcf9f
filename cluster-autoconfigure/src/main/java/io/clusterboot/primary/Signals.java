package io.clusterboot.primary;

import java.util.List;
import java.util.function.Consumer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.clusterboot.posix.LibC;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;

/**
 * Turns the signals that operators send the primary into supervisor events, replacing
 * the JVM's default of exiting on TERM, INT and HUP.
 */
final class Signals {

	private static final Log logger = LogFactory.getLog(Signals.class);

	static final List<String> HANDLED = List.of("TERM", "INT", "HUP", "TTIN", "TTOU");

	/**
	 * Signals a launch may have set to be ignored that the primary must handle anyway:
	 * {@code nohup} ignores HUP, and the JVM installs no handler for an ignored HUP or
	 * TERM, so a reload or a graceful stop would silently do nothing. INT stays ignored
	 * where it is: a background job of a script is meant to survive Ctrl-C.
	 */
	static final List<String> NEVER_IGNORED = List.of("HUP", "TERM");

	/** Room for a {@code struct sigaction}: 152 bytes on glibc for x86-64 and AArch64. */
	private static final int SIGACTION_SIZE = 256;

	private static final long SIG_IGN = 1;

	private Signals() {
	}

	static void forward(Consumer<Event> events) {
		for (String name : HANDLED) {
			Signal signal = new Signal(name);
			if (NEVER_IGNORED.contains(name) && stopIgnoring(signal.getNumber())) {
				logger.info("SIG" + name + " was ignored when the primary started (nohup does that for SIGHUP); "
						+ "the primary handles it: " + (name.equals("HUP") ? "kill -HUP reloads the workers"
								: "kill -TERM drains and stops the cluster"));
			}
			Signal.handle(signal, (received) -> events.accept(new Event.SignalReceived(name)));
		}
	}

	/**
	 * Give an ignored signal its default action back, so that the JVM accepts a handler.
	 * @return whether it was ignored
	 */
	private static boolean stopIgnoring(int number) {
		try {
			Memory current = new Memory(SIGACTION_SIZE);
			current.clear();
			LibC.INSTANCE.sigaction(number, null, current);
			if (Pointer.nativeValue(current.getPointer(0)) != SIG_IGN) {
				return false;
			}
			Memory defaultAction = new Memory(SIGACTION_SIZE);
			defaultAction.clear();
			LibC.INSTANCE.sigaction(number, defaultAction, null);
			return true;
		}
		catch (LastErrorException | LinkageError ex) {
			logger.debug("Cannot read the action of signal " + number + ": " + ex.getMessage());
			return false;
		}
	}

}
