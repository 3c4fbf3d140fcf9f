package io.clusterboot.primary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerCommandTests {

	private static final String JAVA = "/opt/jdk/bin/java";

	private final List<String> warnings = new ArrayList<>();

	@Test
	void bootJar() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of("-Xmx256m", "-Dspring.profiles.active=prod"), "app.jar",
				"app.jar --server.port=9000", List.of("--server.port=9000"));
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA, "-Xmx256m",
				"-Dspring.profiles.active=prod", "-jar", "app.jar", "--server.port=9000");
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void jarOfARelativeLaunchIsAbsolute() {
		assertThat(WorkerCommand.jarOf(List.of(JAVA, "-jar", "app.jar")))
			.isEqualTo(Path.of("app.jar").toAbsolutePath());
		assertThat(WorkerCommand.jarOf(List.of(JAVA, "-cp", "app.jar", "com.example.App"))).isNull();
	}

	@Test
	void bootJarWithSpacesInItsPath() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of(), "/srv/my apps/app.jar", "/srv/my apps/app.jar a b",
				List.of("a b"));
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA, "-jar",
				"/srv/my apps/app.jar", "a b");
	}

	@Test
	void classPathAndMainClass() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of("-XX:TieredStopAtLevel=1"), "target/classes:lib/a.jar",
				"com.example.App --debug", List.of("--debug"));
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA,
				"-XX:TieredStopAtLevel=1", "-cp", "target/classes:lib/a.jar", "com.example.App", "--debug");
	}

	@Test
	void explodedJar() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of(), "app",
				"org.springframework.boot.loader.launch.JarLauncher", List.of());
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA, "-cp", "app",
				"org.springframework.boot.loader.launch.JarLauncher");
	}

	@Test
	void singleJarClassPathWithMainClassIsNotMistakenForJar() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of(), "app.jar", "com.example.App", List.of());
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA, "-cp", "app.jar",
				"com.example.App");
	}

	@Test
	void dropsOptionsOnlyOneProcessCanHoldWithOneWarningEach() {
		JvmLaunch launch = new JvmLaunch(JAVA,
				List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xms64m",
						"-Dcom.sun.management.jmxremote.port=9010", "-Dcom.sun.management.jmxremote.rmi.port=9011",
						"-Dcom.sun.management.jmxremote.authenticate=false"),
				"app.jar", "app.jar", List.of());
		assertThat(WorkerCommand.of(launch, List.of(), this.warnings::add)).containsExactly(JAVA, "-Xms64m",
				"-Dcom.sun.management.jmxremote.authenticate=false", "-jar", "app.jar");
		assertThat(this.warnings).hasSize(3).allMatch((warning) -> warning.contains("only one process"));
	}

	@Test
	void appendsWorkerJvmOptionsAfterThePrimarysOwn() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of("-Xmx1g"), "app.jar", "app.jar", List.of());
		assertThat(WorkerCommand.of(launch, List.of("-Xmx256m", "-XX:+UseSerialGC"), this.warnings::add))
			.containsExactly(JAVA, "-Xmx1g", "-Xmx256m", "-XX:+UseSerialGC", "-jar", "app.jar");
	}

	@Test
	void processorShareGoesRightAfterTheJavaExecutable() {
		List<String> command = List.of(JAVA, "-Xmx1g", "-jar", "app.jar");
		assertThat(WorkerCommand.withProcessorShare(command, 2)).containsExactly(JAVA,
				"-XX:ActiveProcessorCount=2", "-Xmx1g", "-jar", "app.jar");
		assertThat(WorkerCommand.withProcessorShare(command, 0)).contains("-XX:ActiveProcessorCount=1");
	}

	@Test
	void processorShareKeepsAnExplicitSetting() {
		List<String> command = List.of(JAVA, "-XX:ActiveProcessorCount=4", "-jar", "app.jar");
		assertThat(WorkerCommand.withProcessorShare(command, 1)).isEqualTo(command);
	}

	@Test
	void theProcessorCountTheJvmTakesIsItsLastOption() {
		assertThat(WorkerCommand.activeProcessorCount(List.of(JAVA, "-jar", "app.jar"))).isEmpty();
		assertThat(WorkerCommand.activeProcessorCount(List.of(JAVA, "-XX:ActiveProcessorCount=4",
				"-XX:ActiveProcessorCount=1", "-jar", "app.jar", "-XX:ActiveProcessorCount=8")))
			.hasValue(1);
		assertThat(WorkerCommand.activeProcessorCount(List.of(JAVA, "-XX:ActiveProcessorCount=x", "-jar", "app.jar")))
			.isEmpty();
	}

	@Test
	void anApplicationArgumentIsNotAJvmOption() {
		List<String> command = List.of(JAVA, "-Xmx1g", "-jar", "app.jar", "-XX:ActiveProcessorCount=4");
		assertThat(WorkerCommand.withProcessorShare(command, 1)).containsExactly(JAVA, "-XX:ActiveProcessorCount=1",
				"-Xmx1g", "-jar", "app.jar", "-XX:ActiveProcessorCount=4");
		assertThat(WorkerCommand.jvmOptions(List.of(JAVA, "-Xss1m", "-cp", "app.jar:lib", "com.example.App", "-Xmx1g")))
			.containsExactly("-Xss1m");
	}

	@Test
	void moduleLaunchIsRefusedWithAReason() {
		JvmLaunch launch = new JvmLaunch(JAVA, List.of(), "", "com.example/com.example.App", List.of());
		assertThatIllegalStateException().isThrownBy(() -> WorkerCommand.of(launch, List.of(), this.warnings::add))
			.withMessageContaining("java -jar");
	}

}
