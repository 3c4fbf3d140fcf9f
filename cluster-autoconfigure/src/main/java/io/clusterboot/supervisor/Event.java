package io.clusterboot.supervisor;

import io.clusterboot.control.ControlMessage;
import io.clusterboot.control.ControlServer.WorkerConnection;

/**
 * Something the supervisor loop reacts to.
 */
sealed interface Event {

	record SignalReceived(String name) implements Event {
	}

	record WorkerExited(Worker worker, int exitCode) implements Event {
	}

	record WorkerConnected(WorkerConnection connection) implements Event {
	}

	record WorkerReported(WorkerConnection connection, ControlMessage message) implements Event {
	}

}
