package io.clusterboot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A new build of a jar, written over it in place as {@code cp new.jar app.jar} writes: the
 * same entries with another zip comment, so the content, and with it the cluster's
 * version, differs while the application stays the same.
 */
final class NewBuild {

	private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;

	private static final int END_RECORD_LENGTH = 22;

	private static final int MAX_COMMENT_LENGTH = 0xFFFF;

	private NewBuild() {
	}

	/**
	 * Overwrite a jar with a build of its own that carries the given comment.
	 * @param jar the jar, rewritten in place (same inode, as a copy onto it)
	 * @param comment the zip comment of the new build
	 * @throws IOException if the jar cannot be read or written, or is not a zip file
	 */
	static void writeOver(Path jar, String comment) throws IOException {
		byte[] bytes = Files.readAllBytes(jar);
		int end = endOfCentralDirectory(jar, bytes);
		byte[] text = comment.getBytes(StandardCharsets.UTF_8);
		if (text.length > MAX_COMMENT_LENGTH) {
			throw new IllegalArgumentException("A zip comment holds at most " + MAX_COMMENT_LENGTH + " bytes");
		}
		ByteBuffer build = ByteBuffer.allocate(end + END_RECORD_LENGTH + text.length).order(ByteOrder.LITTLE_ENDIAN);
		build.put(bytes, 0, end + END_RECORD_LENGTH - 2);
		build.putShort((short) text.length);
		build.put(text);
		Files.write(jar, build.array());
	}

	/**
	 * Where the end-of-central-directory record starts: the last signature whose comment
	 * length reaches exactly to the end of the file.
	 */
	private static int endOfCentralDirectory(Path jar, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		int lowest = Math.max(0, bytes.length - END_RECORD_LENGTH - MAX_COMMENT_LENGTH);
		for (int at = bytes.length - END_RECORD_LENGTH; at >= lowest; at--) {
			if (buffer.getInt(at) == END_OF_CENTRAL_DIRECTORY
					&& at + END_RECORD_LENGTH + Short.toUnsignedInt(buffer.getShort(at + END_RECORD_LENGTH - 2)) == bytes.length) {
				return at;
			}
		}
		throw new IOException(jar + " is not a zip file: it has no end-of-central-directory record");
	}

}
