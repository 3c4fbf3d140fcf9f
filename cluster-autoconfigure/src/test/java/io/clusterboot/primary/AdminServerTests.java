package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link AdminServer}'s socket: only this user may reach it.
 */
class AdminServerTests {

	@TempDir
	Path temp;

	@Test
	void theSocketsDirectoryIsCreatedForThisUserOnly() throws IOException {
		Path socket = this.temp.resolve("admin").resolve("app.sock");
		AdminServer server = AdminServer.open(socket);
		try {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
				.isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
		}
		finally {
			server.close();
		}
	}

	@Test
	void aDirectoryOthersCanEnterIsRefused() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("open"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		assertThatIOException().isThrownBy(() -> AdminServer.open(directory.resolve("app.sock")))
			.withMessageContaining("rwxr-xr-x")
			.withMessageContaining("it must be this user's (uid " + Files.getAttribute(directory, "unix:uid") + ")");
	}

}
