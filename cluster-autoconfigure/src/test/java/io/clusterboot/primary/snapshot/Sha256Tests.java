package io.clusterboot.primary.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Sha256}.
 */
class Sha256Tests {

	@Test
	void aNameIsTheFirstEightBytesOfTheDigestOfTheTextsUtf8() {
		// FIPS 180-2's first example: SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223...
		assertThat(Sha256.nameOf("abc")).isEqualTo("ba7816bf8f01cfea");
		assertThat(Sha256.nameOf("")).isEqualTo("e3b0c44298fc1c14");
		// U+00E9 is two bytes in UTF-8, c3 a9, and one in ISO-8859-1
		assertThat(Sha256.nameOf("\u00e9")).isEqualTo(HexFormat.of()
			.formatHex(Sha256.newDigest().digest(new byte[] { (byte) 0xc3, (byte) 0xa9 }), 0, 8));
	}

	@Test
	void copyWritesEveryByteAndDigestsThem() throws IOException {
		// Longer than one transfer buffer, so that the digest covers every write
		byte[] content = new byte[100_000];
		new Random(9).nextBytes(content);
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		byte[] digest = Sha256.copy(new ByteArrayInputStream(content), copy);
		assertThat(copy.toByteArray()).isEqualTo(content);
		assertThat(digest).isEqualTo(Sha256.newDigest().digest(content));
		assertThat(HexFormat.of()
			.formatHex(Sha256.copy(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)),
					OutputStream.nullOutputStream())))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void eachDigestIsNew() {
		assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
		assertThat(Sha256.newDigest().getAlgorithm()).isEqualTo("SHA-256");
	}

}
