package io.clusterboot.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AdminSocketTests {

	@TempDir
	Path temp;

	@Test
	void socketsLiveInTheRuntimeDirectorySystemdGivesTheUser() {
		assertThat(AdminSocket.directory("/run/user/1000", this.temp, this.temp))
			.isEqualTo(Path.of("/run/user/1000/cluster-spring-boot"));
	}

	@Test
	void withoutOneTheyLiveInTheTemporaryDirectoryUnderTheUsersId() throws IOException {
		Path process = Files.createDirectory(this.temp.resolve("process"));
		Object uid = Files.getAttribute(process, "unix:uid");
		assertThat(AdminSocket.directory(null, this.temp, process))
			.isEqualTo(this.temp.resolve("cluster-spring-boot-" + uid));
		assertThat(AdminSocket.directory(" ", this.temp, Path.of("/proc/self")))
			.isEqualTo(this.temp.resolve("cluster-spring-boot-" + uid));
	}

	@Test
	void withoutProcTheyLiveUnderTheUsersName() {
		assertThat(AdminSocket.directory(null, this.temp, this.temp.resolve("missing")))
			.isEqualTo(this.temp.resolve("cluster-spring-boot-" + System.getProperty("user.name")));
	}

}
