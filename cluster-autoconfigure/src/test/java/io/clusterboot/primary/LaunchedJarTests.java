package io.clusterboot.primary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.clusterboot.primary.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchedJarTests {

	@TempDir
	Path temp;

	@Test
	void theJarThisJvmReadsIsNoLongerReachableFromItsPath() throws IOException {
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rwxr-x---"));
		String original = SnapshotStore.identityOf(jar);
		try (InputStream launched = Files.newInputStream(jar)) {
			LaunchedJar.Replacement replacement = LaunchedJar.detach(jar);
			assertThat(replacement).isEqualTo(new LaunchedJar.Replacement(original, SnapshotStore.identityOf(jar)));
			assertThat(replacement.copy()).isNotEqualTo(original);
			// What a deploy by cp does: this JVM's file keeps its content
			Files.writeString(jar, "version 2");
			assertThat(launched.readAllBytes()).asString().isEqualTo("version 1");
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jar))).isEqualTo("rwxr-x---");
		try (var files = Files.list(this.temp)) {
			assertThat(files).containsExactly(jar);
		}
	}

}
