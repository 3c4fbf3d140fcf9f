package io.clusterboot.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class NewBuildTests {

	@TempDir
	Path directory;

	@Test
	void aNewBuildHasOtherContentAndTheSameEntries() throws Exception {
		Path jar = jarWith("BOOT-INF/lib/library.jar", "library");
		String before = sha256(jar);
		Object inode = Files.getAttribute(jar, "unix:ino");
		NewBuild.writeOver(jar, "build 1");
		assertThat(sha256(jar)).isNotEqualTo(before);
		assertThat(Files.getAttribute(jar, "unix:ino")).isEqualTo(inode);
		try (JarFile file = new JarFile(jar.toFile())) {
			assertThat(file.getComment()).isEqualTo("build 1");
			JarEntry library = file.getJarEntry("BOOT-INF/lib/library.jar");
			assertThat(library.getMethod()).isEqualTo(ZipEntry.STORED);
			assertThat(new String(file.getInputStream(library).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("library");
		}
	}

	@Test
	void eachBuildReplacesThePreviousComment() throws Exception {
		Path jar = jarWith("a.txt", "a");
		NewBuild.writeOver(jar, "a longer comment of build 1");
		String first = sha256(jar);
		NewBuild.writeOver(jar, "build 2");
		try (JarFile file = new JarFile(jar.toFile())) {
			assertThat(file.getComment()).isEqualTo("build 2");
			assertThat(file.size()).isEqualTo(1);
		}
		assertThat(sha256(jar)).isNotEqualTo(first);
	}

	@Test
	void aFileThatIsNotAZipIsRefused() throws Exception {
		Path notJar = Files.writeString(this.directory.resolve("app.jar"), "not a zip file at all, not even close");
		assertThatIOException().isThrownBy(() -> NewBuild.writeOver(notJar, "build 1"))
			.withMessageContaining("is not a zip file");
		assertThat(Files.readString(notJar)).isEqualTo("not a zip file at all, not even close");
	}

	private Path jarWith(String name, String content) throws IOException {
		Path jar = this.directory.resolve("app.jar");
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
			// Stored, as a boot jar stores its nested jars
			ZipEntry entry = new ZipEntry(name);
			entry.setMethod(ZipEntry.STORED);
			entry.setSize(bytes.length);
			CRC32 crc = new CRC32();
			crc.update(bytes);
			entry.setCrc(crc.getValue());
			zip.putNextEntry(entry);
			zip.write(bytes);
			zip.closeEntry();
		}
		return jar;
	}

	private static String sha256(Path file) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
	}

}
