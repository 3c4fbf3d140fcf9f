package io.clusterboot;

import java.time.Duration;
import java.util.List;

import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ClusterLauncher}'s checks of the configuration, which stop a primary
 * before it starts any worker.
 */
class ClusterLauncherTests {

	private final ClusterProperties properties = new ClusterProperties();

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void defaultsAndASurgeAboveTheInstanceCountAreValid() {
		assertValid();
		this.properties.setMaxSurge(64);
		assertValid();
	}

	@Test
	void surgeBelowOneIsRefusedNamingTheProperty() {
		this.properties.setMaxSurge(0);
		assertRefused().withMessageContaining("cluster.max-surge").withMessageContaining("at least 1");
	}

	@Test
	void nicenessOutsideZeroToNineteenIsRefused() {
		this.properties.setReplacedNiceness(20);
		assertRefused().withMessageContaining("cluster.replaced-niceness").withMessageContaining("0 (off) to 19");
		this.properties.setReplacedNiceness(19);
		this.properties.setRequestNiceness(-1);
		assertRefused().withMessageContaining("cluster.request-niceness").withMessageContaining("0 (off) to 19");
		this.properties.setRequestNiceness(19);
		assertValid();
	}

	@Test
	void heartbeatTimeoutMustOutlastTheInterval() {
		this.properties.setHeartbeatTimeout(Duration.ofSeconds(1));
		assertRefused().withMessageContaining("cluster.heartbeat-timeout")
			.withMessageContaining("cluster.heartbeat-interval");
	}

	@Test
	void aSeparateManagementPortIsRefused() {
		this.environment.setProperty("management.server.port", "9090");
		assertRefused().withMessageContaining("management.server.port");
	}

	@Test
	void warmUpRequestsArePathsAndItsDurationEndsBeforeTheReadyTimeout() {
		this.properties.getWarmUp().setRequests(List.of("/hello", "/api/prices?currency=EUR"));
		this.properties.getWarmUp().setDuration(Duration.ofSeconds(59));
		assertValid();
		this.properties.getWarmUp().setDuration(Duration.ofSeconds(60));
		assertRefused().withMessageContaining("cluster.warm-up.duration").withMessageContaining("cluster.ready-timeout");
		this.properties.getWarmUp().setDuration(Duration.ofSeconds(10));
		this.properties.getWarmUp().setRequests(List.of("/hello", "http://example.com/"));
		assertRefused().withMessageContaining("cluster.warm-up.requests").withMessageContaining("http://example.com/");
	}

	@Test
	void workerJvmOptionsAreOneOptionEach() {
		this.properties.setWorkerJvmOptions(List.of("-Xmx512m", "-XX:OnOutOfMemoryError=kill -9 %p", "-Dgreeting=a b"));
		assertValid();
		this.properties.setWorkerJvmOptions(List.of("-Xlog:gc", ""));
		assertRefused().withMessageContaining("cluster.worker-jvm-options").withMessageContaining("starts with '-'");
		this.properties.setWorkerJvmOptions(List.of("Xmx512m"));
		assertRefused().withMessageContaining("cluster.worker-jvm-options").withMessageContaining("Xmx512m");
		this.properties.setWorkerJvmOptions(List.of("-Xmx512m -XX:+UseG1GC"));
		assertRefused().withMessageContaining("cluster.worker-jvm-options")
			.withMessageContaining("separate options with commas");
	}

	private void assertValid() {
		assertThatNoException().isThrownBy(() -> ClusterLauncher.validate(this.properties, this.environment));
	}

	private ThrowableAssertAlternative<InvalidConfigurationPropertyValueException> assertRefused() {
		return assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClusterLauncher.validate(this.properties, this.environment));
	}

}
