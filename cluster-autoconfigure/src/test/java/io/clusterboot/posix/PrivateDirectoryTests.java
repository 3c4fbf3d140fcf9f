package io.clusterboot.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link PrivateDirectory}.
 */
class PrivateDirectoryTests {

	@TempDir
	Path temp;

	@Test
	void aMissingDirectoryIsCreatedWithItsParentsForThisUserAlone() throws IOException {
		Path directory = this.temp.resolve("a/b/private");
		PrivateDirectory.createOrCheck(directory);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		assertThat(Files.getAttribute(directory, "unix:uid")).isEqualTo(LibC.INSTANCE.getuid());
	}

	@Test
	void anExistingDirectoryThatGrantsLessToItsOwnerOnlyIsAccepted() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("read-only"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-x------"));
		assertThatNoException().isThrownBy(() -> PrivateDirectory.createOrCheck(directory));
	}

	@Test
	void aDirectoryOthersCanEnterIsRefusedNamingItsOwnerAndPermissions() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.createOrCheck(directory))
			.withMessageContaining(directory + " belongs to uid " + LibC.INSTANCE.getuid())
			.withMessageContaining("rwx--x--x")
			.withMessageContaining("no other user can plant files there");
	}

	@Test
	void aDirectoryInsideOneOthersCanWriteToIsRefused() throws IOException {
		Path shared = Files.createDirectory(this.temp.resolve("shared"));
		Path directory = shared.resolve("private");
		PrivateDirectory.createOrCheck(directory);
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.check(directory))
			.withMessageContaining(directory + " is inside " + shared)
			.withMessageContaining("mode 777")
			.withMessageContaining("another user could move private aside");
	}

	@Test
	void aDirectoryInsideAStickyOneOthersCanWriteToIsAccepted() throws IOException {
		Path shared = Files.createDirectory(this.temp.resolve("tmp"));
		Path directory = shared.resolve("private");
		PrivateDirectory.createOrCheck(directory);
		// rwxrwxrwt, as /tmp: only an entry's owner may move or delete it
		Files.setAttribute(shared, "unix:mode", 01777);
		assertThatNoException().isThrownBy(() -> PrivateDirectory.check(directory));
	}

	@Test
	void aDirectoryReachedThroughALinkIsCheckedWhereTheLinkLeads() throws IOException {
		Path shared = Files.createDirectory(this.temp.resolve("shared"));
		PrivateDirectory.createOrCheck(shared.resolve("private"));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), shared);
		assertThatNoException().isThrownBy(() -> PrivateDirectory.check(link.resolve("private")));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.check(link.resolve("private")))
			.withMessageContaining("is inside " + shared.toRealPath());
	}

	@Test
	void parentsItCreatesAreThisUsersAlone() throws IOException {
		Path directory = this.temp.resolve("x/y/private");
		PrivateDirectory.createOrCheck(directory);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void aTreeWithALinkIsRefused() throws IOException {
		Path directory = this.temp.resolve("private");
		PrivateDirectory.createOrCheck(directory);
		Path lib = Files.createDirectory(directory.resolve("lib"));
		Files.writeString(lib.resolve("library.jar"), "library");
		assertThatNoException().isThrownBy(() -> PrivateDirectory.checkTree(directory));
		Path link = Files.createSymbolicLink(lib.resolve("other.jar"), Path.of("/etc/hostname"));
		assertThatIOException().isThrownBy(() -> PrivateDirectory.checkTree(directory))
			.withMessageContaining(link + " belongs to uid " + LibC.INSTANCE.getuid() + " and is a link");
	}

	@Test
	void aTreeWithAnotherUsersFileIsRefused() throws IOException {
		assumeTrue(LibC.INSTANCE.getuid() == 0, "giving a file to another user needs root");
		Path directory = this.temp.resolve("private");
		PrivateDirectory.createOrCheck(directory);
		Path library = Files.writeString(Files.createDirectory(directory.resolve("lib")).resolve("library.jar"), "x");
		Files.setAttribute(library, "unix:uid", 65534);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.checkTree(directory))
			.withMessageContaining(library + " belongs to uid 65534");
	}

	@Test
	void aLinkToAPrivateDirectoryIsRefused() throws IOException {
		Path target = this.temp.resolve("target");
		PrivateDirectory.createOrCheck(target);
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), target);
		assertThatIOException().isThrownBy(() -> PrivateDirectory.check(link))
			.withMessage(link + " is not a directory");
	}

}
