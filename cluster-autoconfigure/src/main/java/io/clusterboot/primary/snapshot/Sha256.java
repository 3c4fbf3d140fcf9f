package io.clusterboot.primary.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The primary's one digest: of versions (a jar's content, a snapshot's files), and of
 * the text that names the files it keeps next to them (a command line's plan, a jar's
 * record, a class-data archive's options).
 */
public final class Sha256 {

	/**
	 * Bytes of the digest in a file name: 16 hex digits.
	 */
	private static final int NAME_BYTES = 8;

	private Sha256() {
	}

	/**
	 * A new SHA-256 digest, which every JVM has.
	 * @return the digest
	 */
	public static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Copy a stream, and digest what was copied.
	 * @param in the stream to read to its end
	 * @param out where to write it, {@link OutputStream#nullOutputStream()} to digest only
	 * @return the SHA-256 of the bytes copied
	 * @throws IOException if reading or writing fails
	 */
	public static byte[] copy(InputStream in, OutputStream out) throws IOException {
		MessageDigest sha256 = newDigest();
		in.transferTo(new DigestOutputStream(out, sha256));
		return sha256.digest();
	}

	/**
	 * The first 16 hex digits of the SHA-256 of a text's UTF-8 bytes, to name a file
	 * after it.
	 * @param text the text
	 * @return 16 hex digits
	 */
	public static String nameOf(String text) {
		return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)), 0, NAME_BYTES);
	}

}
