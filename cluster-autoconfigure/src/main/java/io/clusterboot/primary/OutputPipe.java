package io.clusterboot.primary;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import io.clusterboot.posix.LibC;

/**
 * Where a worker writes its output, standard error included: a named pipe that the
 * primary reads until every process holding it has closed it. The JDK's own pipe is read
 * only until the worker exits, and then closed, so a process the worker started that
 * outlives it would lose its output and die of {@code SIGPIPE} on its next write, where
 * under one JVM its lines reach the terminal or the journal.
 */
final class OutputPipe implements Closeable {

	private static final int OWNER_READ_WRITE = 0600;

	private final Path path;

	/**
	 * The pipe, open for reading and writing until the reading end is open: opening one
	 * end of a named pipe waits for the other, except read-write on Linux.
	 */
	private final RandomAccessFile holder;

	private OutputPipe(Path path, RandomAccessFile holder) {
		this.path = path;
		this.holder = holder;
	}

	/**
	 * Create a named pipe.
	 * @param path where, in a directory only this user can enter
	 * @return the pipe
	 * @throws IOException if it cannot be created or opened
	 */
	static OutputPipe create(Path path) throws IOException {
		try {
			LibC.INSTANCE.mkfifo(path.toString(), OWNER_READ_WRITE);
		}
		catch (LastErrorException | UnsatisfiedLinkError ex) {
			throw new IOException("Cannot create the named pipe " + path + ": " + ex.getMessage(), ex);
		}
		try {
			return new OutputPipe(path, new RandomAccessFile(path.toFile(), "rw"));
		}
		catch (IOException ex) {
			Files.deleteIfExists(path);
			throw ex;
		}
	}

	/**
	 * Send a worker's output into the pipe.
	 * @param worker the worker's process builder
	 * @return the builder
	 */
	ProcessBuilder redirect(ProcessBuilder worker) {
		return worker.redirectOutput(this.path.toFile());
	}

	/**
	 * The reading end, once the worker was started, which then holds the pipe open for
	 * writing: it ends once the worker and every process that inherited its output have
	 * closed it.
	 * @return the worker's output
	 * @throws IOException if the pipe cannot be opened
	 */
	InputStream open() throws IOException {
		try {
			return new FileInputStream(this.path.toFile());
		}
		finally {
			close();
		}
	}

	/**
	 * Let go of the primary's end and of the pipe's name.
	 * @throws IOException if the name cannot be removed
	 */
	@Override
	public void close() throws IOException {
		try {
			this.holder.close();
		}
		finally {
			Files.deleteIfExists(this.path);
		}
	}

}
