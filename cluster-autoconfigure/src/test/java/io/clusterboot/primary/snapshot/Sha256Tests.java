package io.clusterboot.primary.snapshot;

import java.util.HexFormat;

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
	void eachDigestIsNew() {
		assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
		assertThat(Sha256.newDigest().getAlgorithm()).isEqualTo("SHA-256");
	}

}
