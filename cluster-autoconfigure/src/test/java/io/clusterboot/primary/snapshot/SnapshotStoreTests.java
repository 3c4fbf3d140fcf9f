package io.clusterboot.primary.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.awaitility.Awaitility;
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
	void aSnapshotWithALinkInItIsNotSafeToRun() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(store, "a");
		Files.createDirectories(snapshot.directory().resolve(SnapshotStore.CLASS_DATA));
		Files.createSymbolicLink(snapshot.directory().resolve(SnapshotStore.CLASS_DATA).resolve("classes.jsa"),
				this.temp.resolve("elsewhere.jsa"));
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

	@Test
	void deletesWhatAPrimaryLeftBehindWhilePreparingAVersionButNotWhatOneIsPreparingNow() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot kept = snapshot(store, "a");
		Path copy = Files.writeString(store.root().resolve("copy-123.jar"), "a jar");
		Path unpacking = Files.createDirectories(store.root().resolve("unpacking-456/lib"));
		Path log = Files.writeString(store.root().resolve("unpacking-456.log"), "output");
		Path fresh = Files.writeString(store.root().resolve("copy-789.jar"), "a jar being copied");
		FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
		for (Path old : List.of(copy, unpacking.getParent(), log)) {
			Files.setLastModifiedTime(old, hourAgo);
		}
		store.retainOnly(List.of(kept));
		assertThat(copy).doesNotExist();
		assertThat(unpacking.getParent()).doesNotExist();
		assertThat(log).doesNotExist();
		assertThat(fresh).exists();
		assertThat(store.verify(kept)).isTrue();
	}

	@Test
	void aSecondStoreTrustsWhatTheFirstFoundIntactUntilAFileChanges() throws IOException {
		SnapshotStore first = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(first, "a");
		assertThat(first.verify(snapshot)).isTrue();
		// A digest that no longer matches shows whether the content is hashed again
		Snapshot misdescribed = new Snapshot(snapshot.key(), null, "another digest", snapshot.directory());
		SnapshotStore second = SnapshotStore.open(this.temp.resolve("store"), "java");
		assertThat(second.verify(misdescribed)).isTrue();
		Path library = snapshot.directory().resolve("lib/library.jar");
		FileTime modified = Files.getLastModifiedTime(library);
		Files.writeString(library, "library b");
		Files.setLastModifiedTime(library, modified);
		assertThat(second.verify(snapshot)).isFalse();
	}

	@Test
	void aTreeJustUnpackedIsTrustedAtItsFirstLaunchUntilAFileChanges() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(store, "a");
		assertThat(SnapshotStore.digestAndCertify(snapshot.directory())).isEqualTo(snapshot.digest());
		// A digest that no longer matches shows whether the content is hashed again
		Snapshot misdescribed = new Snapshot(snapshot.key(), null, "another digest", snapshot.directory());
		assertThat(store.verify(misdescribed)).isTrue();
		Path library = snapshot.directory().resolve("lib/library.jar");
		FileTime modified = Files.getLastModifiedTime(library);
		Files.writeString(library, "library b");
		Files.setLastModifiedTime(library, modified);
		assertThat(store.verify(misdescribed)).isFalse();
	}

	@Test
	void aVersionLeftWithoutItsDescriptionIsUnpackedAgain() throws Exception {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), fakeExtractor(1));
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		// What a primary stopped while it deleted the version leaves
		Path halfDeleted = Files.createDirectories(store.root().resolve(sha256("version 1").substring(0, 16)));
		Files.writeString(Files.createDirectories(halfDeleted.resolve("lib")).resolve("library.jar"), "library");
		Snapshot snapshot = store.prepare(jar);
		assertThat(snapshot.directory()).isEqualTo(halfDeleted);
		assertThat(snapshot.key()).isEqualTo(sha256("version 1"));
		assertThat(snapshot.directory().resolve("lib/library.jar")).doesNotExist();
		assertThat(store.verify(snapshot)).isTrue();
	}

	@Test
	void twoPrimariesPreparingTheSameJarAtOnceBothRunIt() throws Exception {
		String extractor = fakeExtractor(2);
		SnapshotStore first = SnapshotStore.open(this.temp.resolve("store"), extractor);
		SnapshotStore second = SnapshotStore.open(this.temp.resolve("store"), extractor);
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		CompletableFuture<Snapshot> other = CompletableFuture.supplyAsync(() -> {
			try {
				return second.prepare(jar);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		Snapshot snapshot = first.prepare(jar);
		assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(snapshot);
		assertThat(first.verify(snapshot)).isTrue();
	}

	@Test
	void aVersionThisPrimaryPreparedIsNotDeletedByAnotherBeforeItRunsIt() throws Exception {
		String extractor = fakeExtractor(1);
		SnapshotStore first = SnapshotStore.open(this.temp.resolve("store"), extractor);
		SnapshotStore second = SnapshotStore.open(this.temp.resolve("store"), extractor);
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		Snapshot prepared = first.prepare(jar);
		second.retainOnly(List.of());
		assertThat(first.verify(prepared)).isTrue();
	}

	@Test
	void aVersionDeletedBeforeItIsHeldIsReportedGone() throws IOException {
		SnapshotStore first = SnapshotStore.open(this.temp.resolve("store"), "java");
		Snapshot snapshot = snapshot(first, "a");
		SnapshotStore.open(this.temp.resolve("store"), "java").retainOnly(List.of());
		assertThat(first.hold(snapshot)).isFalse();
		Snapshot other = snapshot(first, "b");
		assertThat(first.hold(other)).isTrue();
	}

	@Test
	void preparingAJarRemembersItsVersionForTheNextStart() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		Snapshot snapshot = snapshot(store, "a", sha256("version 1"));
		assertThat(store.lastVersionOf(jar)).isNull();
		awaitClockTickAfterChangeOf(jar);
		assertThat(store.prepare(jar)).isEqualTo(snapshot);
		SnapshotStore next = SnapshotStore.open(store.root(), "java");
		assertThat(next.lastVersionOf(jar)).isEqualTo(snapshot);
		assertThat(next.lastVersionOf(this.temp.resolve("other.jar"))).isNull();
	}

	@Test
	void jarsAtTwoPathsSharingAStoreAreEachRemembered() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path blue = Files.writeString(this.temp.resolve("blue.jar"), "version 1");
		Path green = Files.writeString(this.temp.resolve("green.jar"), "version 2");
		Snapshot first = snapshot(store, "a", sha256("version 1"));
		Snapshot second = snapshot(store, "b", sha256("version 2"));
		store.remember(blue, SnapshotStore.identityOf(blue), first.key());
		store.remember(green, SnapshotStore.identityOf(green), second.key());
		assertThat(store.lastVersionOf(blue)).isEqualTo(first);
		assertThat(store.lastVersionOf(green)).isEqualTo(second);
	}

	@Test
	void theRememberedJarIsNotReadAgain() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		snapshot(store, "a", sha256("version 1"));
		// Remembered as another version than its content: only a hash would tell
		Snapshot remembered = snapshot(store, "b", sha256("another version"));
		store.remember(jar, SnapshotStore.identityOf(jar), remembered.key());
		assertThat(store.prepare(jar)).isEqualTo(remembered);
	}

	@Test
	void aJarOverwrittenInPlaceIsReadAgainEvenWithItsSizeAndTimeKept() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path jar = rememberedJar(store);
		Snapshot second = snapshot(store, "b", sha256("version 2"));
		FileTime modified = Files.getLastModifiedTime(jar);
		Files.writeString(jar, "version 2");
		Files.setLastModifiedTime(jar, modified);
		assertThat(store.lastVersionOf(jar)).isNull();
		assertThat(store.prepare(jar)).isEqualTo(second);
	}

	@Test
	void aJarReplacedByARenameIsNotTheRememberedVersion() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path jar = rememberedJar(store);
		Path next = Files.writeString(this.temp.resolve("next.jar"), "version 1");
		Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING);
		assertThat(store.lastVersionOf(jar)).isNull();
	}

	@Test
	void aCopyPutInTheJarsPlaceIsRememberedAsTheVersionOfWhatWasCopied() throws IOException {
		SnapshotStore store = SnapshotStore.open(this.temp.resolve("store"), "java");
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		Snapshot snapshot = snapshot(store, "a", sha256("version 1"));
		String original = SnapshotStore.identityOf(jar);
		store.remember(jar, original, snapshot.key());
		replaceWithCopy(jar);
		store.copied(jar, "another file", SnapshotStore.identityOf(jar));
		assertThat(store.lastVersionOf(jar)).isNull();
		store.copied(jar, original, SnapshotStore.identityOf(jar));
		assertThat(store.lastVersionOf(jar)).isEqualTo(snapshot);
	}

	/**
	 * A jar whose version, "version 1", the store remembers.
	 */
	private Path rememberedJar(SnapshotStore store) throws IOException {
		Path jar = Files.writeString(this.temp.resolve("app.jar"), "version 1");
		store.remember(jar, SnapshotStore.identityOf(jar), snapshot(store, "a", sha256("version 1")).key());
		return jar;
	}

	private void replaceWithCopy(Path jar) throws IOException {
		Path copy = this.temp.resolve("copy.jar");
		Files.copy(jar, copy);
		Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Wait until the file system's clock has ticked since a file changed, as it has for a
	 * jar built before its application starts.
	 */
	private void awaitClockTickAfterChangeOf(Path file) throws IOException {
		FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime");
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
			Path probe = Files.createTempFile(this.temp, "now-", "");
			return Files.getLastModifiedTime(probe).compareTo(changed) > 0;
		});
	}

	/**
	 * A stand-in for {@code java -Djarmode=tools -jar app.jar extract}: it writes the
	 * extracted layout once as many extractions as given have started (for 10 s at most),
	 * so that those run at the same time.
	 */
	private String fakeExtractor(int together) throws IOException {
		Path started = Files.createDirectories(this.temp.resolve("extractions"));
		Path script = this.temp.resolve("fake-java");
		Files.writeString(script, """
				#!/bin/sh
				while [ "$1" != "--destination" ]; do shift; done
				touch "%1$s/$$"
				for wait in $(seq 200); do
					[ $(ls "%1$s" | wc -l) -ge %2$d ] && break
					sleep 0.05
				done
				mkdir -p "$2/lib"
				echo application > "$2/app.jar"
				echo dependency > "$2/lib/dependency.jar"
				""".formatted(started, together));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script.toString();
	}

	private static Snapshot snapshot(SnapshotStore store, String letter) throws IOException {
		return snapshot(store, letter, letter.repeat(64));
	}

	private static Snapshot snapshot(SnapshotStore store, String letter, String key) throws IOException {
		Path directory = Files.createDirectories(store.root().resolve(key.substring(0, 16)));
		Files.createDirectories(directory.resolve("lib"));
		Files.writeString(directory.resolve("app.jar"), "application " + letter);
		Files.writeString(directory.resolve("lib/library.jar"), "library " + letter);
		String digest = SnapshotStore.treeDigest(directory);
		Properties description = new Properties();
		description.setProperty("key", key);
		description.setProperty("digest", digest);
		try (OutputStream out = Files.newOutputStream(directory.resolve("snapshot.properties"))) {
			description.store(out, null);
		}
		return new Snapshot(key, null, digest, directory);
	}

	private static String sha256(String content) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
