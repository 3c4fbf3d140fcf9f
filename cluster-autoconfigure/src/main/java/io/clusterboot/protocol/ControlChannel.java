package io.clusterboot.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One end of a control connection: JSON lines, each at most {@link #MAX_FRAME_BYTES}.
 */
public final class ControlChannel implements AutoCloseable {

	/**
	 * The longest line either side accepts: room for the Prometheus scrapes of many
	 * workers in one reply.
	 */
	public static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

	/**
	 * Room for text in one message (Prometheus scrapes, lines of output), counted as
	 * {@link #encodedBytes}: the frame less room for the message around the text.
	 */
	public static final int TEXT_BUDGET_BYTES = MAX_FRAME_BYTES - 64 * 1024;

	// The primary and its workers may run different versions of this starter (a reload
	// to a new jar, a rollback): a field one side lacks is read as its default
	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final SocketChannel channel;

	// Channels.newInputStream would hold a lock that blocks sends while a read waits
	private final ByteBuffer received = ByteBuffer.allocate(8192).flip();

	public ControlChannel(SocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * The bytes a string takes in a frame, as an element of a list: its UTF-8 bytes, what
	 * JSON escapes counted escaped, its quotes and a separator. Characters, not bytes,
	 * would let a text of many non-ASCII characters or control characters (ANSI colours)
	 * outgrow the frame.
	 * @param text the text
	 * @return its size in a frame
	 */
	public static long encodedBytes(CharSequence text) {
		long bytes = 3;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
				bytes += 2;
			}
			else if (c < 0x20) {
				// Six bytes: a backslash, u and four hex digits
				bytes += 6;
			}
			else if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else if (Character.isSurrogate(c)) {
				// A lone half, at most escaped
				bytes += 6;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/**
	 * Send one message.
	 * @param message the message
	 * @throws IOException if the other side is gone
	 */
	public void send(ControlMessage message) throws IOException {
		write(encode(message));
	}

	/**
	 * Encode a message as the frame {@link #write} sends.
	 * @param message the message
	 * @return one line of JSON
	 */
	public static byte[] encode(ControlMessage message) {
		byte[] line = json.writeValueAsBytes(message);
		byte[] frame = new byte[line.length + 1];
		System.arraycopy(line, 0, frame, 0, line.length);
		frame[line.length] = '\n';
		return frame;
	}

	/**
	 * Send one frame made by {@link #encode}, blocking until it is written.
	 * @param frame the frame
	 * @throws IOException if the other side is gone
	 */
	public synchronized void write(byte[] frame) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(frame);
		while (buffer.hasRemaining()) {
			this.channel.write(buffer);
		}
	}

	/**
	 * Read the next message. Must be called by one thread only.
	 * @return the message
	 * @throws EOFException if the other side closed the connection
	 * @throws MalformedMessageException if a line is not a known message, or is longer
	 * than the frame limit ({@link OversizeFrameException}); either is dropped
	 * @throws IOException if reading fails
	 */
	public ControlMessage receive() throws IOException {
		return decode(readLine());
	}

	/**
	 * Read a message from a line that {@link #encode} wrote, on either version of the
	 * starter.
	 * @param line the line, without its end
	 * @return the message
	 * @throws MalformedMessageException if the line is not a known message
	 */
	static ControlMessage decode(String line) throws MalformedMessageException {
		ControlMessage message;
		try {
			message = json.readValue(line, ControlMessage.class);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException(line, ex);
		}
		if (message == null) {
			throw new MalformedMessageException("Malformed control message '" + line + "': not an object");
		}
		return message;
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (byte next = nextByte(); next != '\n'; next = nextByte()) {
			if (line.size() == MAX_FRAME_BYTES) {
				while (nextByte() != '\n') {
					// Dropped whole, so that the next line is read as it was sent
				}
				throw new OversizeFrameException();
			}
			line.write(next);
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private byte nextByte() throws IOException {
		while (!this.received.hasRemaining()) {
			this.received.clear();
			int read = this.channel.read(this.received);
			this.received.flip();
			if (read == -1) {
				throw new EOFException("Control connection closed");
			}
		}
		return this.received.get();
	}

	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing anyway
		}
	}

	/**
	 * A line that is not a control message. The connection can go on.
	 */
	public static class MalformedMessageException extends IOException {

		MalformedMessageException(String line, Throwable cause) {
			super("Malformed control message '" + abbreviate(line) + "': " + cause.getMessage(), cause);
		}

		MalformedMessageException(String message) {
			super(message);
		}

		private static String abbreviate(String line) {
			return (line.length() > 200) ? line.substring(0, 200) + "…" : line;
		}

	}

	/**
	 * A line longer than the frame limit, read to its end and dropped. The connection can
	 * go on.
	 */
	public static class OversizeFrameException extends MalformedMessageException {

		OversizeFrameException() {
			super("Control message longer than " + MAX_FRAME_BYTES + " bytes");
		}

	}

}
