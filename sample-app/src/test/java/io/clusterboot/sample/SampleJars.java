package io.clusterboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds of the sample jar that tell themselves apart, and deploys of them.
 */
final class SampleJars {

	private SampleJars() {
	}

	/**
	 * Copy the sample jar with a {@code deploy-version.txt} added to its classes, keeping
	 * every entry as it was stored: Spring Boot reads nested jars only uncompressed.
	 */
	static Path withVersion(String version, Path target) throws IOException {
		try (ZipFile source = new ZipFile(SampleCluster.JAR.toFile());
				ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
			Enumeration<? extends ZipEntry> entries = source.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				ZipEntry copy = new ZipEntry(entry.getName());
				copy.setMethod(entry.getMethod());
				copy.setTime(entry.getTime());
				if (entry.getMethod() == ZipEntry.STORED) {
					copy.setSize(entry.getSize());
					copy.setCompressedSize(entry.getCompressedSize());
					copy.setCrc(entry.getCrc());
				}
				out.putNextEntry(copy);
				try (InputStream in = source.getInputStream(entry)) {
					in.transferTo(out);
				}
				out.closeEntry();
				if (entry.getName().equals("BOOT-INF/classes/")) {
					byte[] content = version.getBytes(StandardCharsets.UTF_8);
					ZipEntry versionEntry = new ZipEntry("BOOT-INF/classes/deploy-version.txt");
					versionEntry.setMethod(ZipEntry.STORED);
					versionEntry.setSize(content.length);
					CRC32 crc = new CRC32();
					crc.update(content);
					versionEntry.setCrc(crc.getValue());
					out.putNextEntry(versionEntry);
					out.write(content);
					out.closeEntry();
				}
			}
		}
		return target;
	}

	/**
	 * Overwrite a file's content in place, as {@code cp} does: the same inode, truncated
	 * and rewritten.
	 */
	static void copyInPlace(Path source, Path target) throws Exception {
		Process cp = new ProcessBuilder("cp", source.toString(), target.toString()).inheritIO().start();
		assertThat(cp.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(cp.exitValue()).isZero();
	}

}
