package io.clusterboot.primary.snapshot;

import java.nio.charset.StandardCharsets;
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
	 * The first 16 hex digits of the SHA-256 of a text's UTF-8 bytes, to name a file
	 * after it.
	 * @param text the text
	 * @return 16 hex digits
	 */
	public static String nameOf(String text) {
		return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)), 0, NAME_BYTES);
	}

}
