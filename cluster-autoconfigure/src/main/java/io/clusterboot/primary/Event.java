package io.clusterboot.primary;

import java.util.concurrent.CompletableFuture;

import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;

/**
 * Something the supervisor loop reacts to. Signals, process exits and control messages
 * arrive on other threads; the loop handles them one at a time.
 */
sealed interface Event {

	record SignalReceived(String name) implements Event {
	}

	record WorkerExited(long pid, int exitCode) implements Event {
	}

	record WorkerConnected(WorkerLink link) implements Event {
	}

	record WorkerReported(WorkerLink link, ControlMessage message) implements Event {
	}

	record WorkerNotReading(WorkerLink link) implements Event {
	}

	record VersionPrepared(Snapshot version) implements Event {
	}

	record VersionFailed(String reason) implements Event {
	}

	/**
	 * A command from the command line, whose reply completes the future.
	 */
	record OperatorCommand(Command command, CompletableFuture<CommandReply> reply) implements Event {
	}

}
