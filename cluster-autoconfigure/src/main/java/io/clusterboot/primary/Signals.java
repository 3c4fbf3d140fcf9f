package io.clusterboot.primary;

import java.util.List;
import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * Turns the signals that operators send the primary into supervisor events, replacing
 * the JVM's default of exiting on TERM, INT and HUP.
 */
final class Signals {

	static final List<String> HANDLED = List.of("TERM", "INT", "HUP", "TTIN", "TTOU");

	private Signals() {
	}

	static void forward(Consumer<Event> events) {
		for (String name : HANDLED) {
			Signal.handle(new Signal(name), (signal) -> events.accept(new Event.SignalReceived(name)));
		}
	}

}
