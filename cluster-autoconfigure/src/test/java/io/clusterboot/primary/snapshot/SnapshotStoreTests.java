package io.clusterboot.primary.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class SnapshotStoreTests {

	@TempDir
	Path temp;

	@Test
	void createsItsDirectoryForItsOwnerAlone() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("cache/app"), "java");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root()))).isEqualTo("rwx------");
	}

	@Test
	void refusesADirectoryOtherUsersCanEnter() throws IOException {
		Path shared = Files.createDirectory(this.temp.resolve("shared"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThatIOException().isThrownBy(() -> SnapshotStore.open(shared, "java"))
			.withMessageContaining("rwxr-xr-x")
			.withMessageContaining("no other user can plant files there");
	}

	@Test
	void aSnapshotWhoseFilesChangedIsNotSafeToRun() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(store, "a");
		assertThat(store.verify(snapshot)).isTrue();
		Files.writeString(snapshot.directory().resolve("lib/library.jar"), "planted");
		assertThat(store.verify(snapshot)).isFalse();
	}

	@Test
	void aStoreWhosePermissionsWereLoosenedIsRefusedAtTheNextUse() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(store, "a");
		Files.setPosixFilePermissions(store.root(), PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThat(store.verify(snapshot)).isFalse();
	}

	@Test
	void retainsWhatIsUsedAndDeletesTheRest() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot a = snapshot(store, "a");
		Snapshot b = snapshot(store, "b");
		Snapshot c = snapshot(store, "c");
		store.retainOnly(List.of(a, b));
		assertThat(a.directory()).isDirectory();
		assertThat(b.directory()).isDirectory();
		assertThat(c.directory()).doesNotExist();
		store.retainOnly(List.of(b));
		assertThat(a.directory()).doesNotExist();
		assertThat(store.verify(b)).isTrue();
	}

	private static Snapshot snapshot(SnapshotStore store, String letter) throws IOException {
		Path directory = Files.createDirectories(store.root().resolve(letter.repeat(16)));
		Files.createDirectories(directory.resolve("lib"));
		Files.writeString(directory.resolve("app.jar"), "application " + letter);
		Files.writeString(directory.resolve("lib/library.jar"), "library " + letter);
		String digest = SnapshotStore.treeDigest(directory);
		Properties description = new Properties();
		description.setProperty("key", letter.repeat(64));
		description.setProperty("digest", digest);
		try (OutputStream out = Files.newOutputStream(directory.resolve("snapshot.properties"))) {
			description.store(out, null);
		}
		return new Snapshot(letter.repeat(64), null, digest, directory);
	}

	@ParameterizedTest
	@ValueSource(strings = { "META-INF/build-info.properties", "BOOT-INF/classes/META-INF/build-info.properties" })
	void readsTheBuildVersionWhereMavenAndGradleWriteIt(String location) throws IOException {
		Path jar = this.temp.resolve("app.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new JarEntry(location));
			out.write("build.version=1.4.2\nbuild.name=app\n".getBytes(StandardCharsets.ISO_8859_1));
			out.closeEntry();
		}
		assertThat(SnapshotStore.buildVersion(jar)).isEqualTo("1.4.2");
	}

}
