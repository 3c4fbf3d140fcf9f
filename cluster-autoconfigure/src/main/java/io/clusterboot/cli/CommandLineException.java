package io.clusterboot.cli;

/**
 * A failure the command line reports in one sentence, without a stack trace.
 */
class CommandLineException extends RuntimeException {

	CommandLineException(String message) {
		super(message);
	}

}
