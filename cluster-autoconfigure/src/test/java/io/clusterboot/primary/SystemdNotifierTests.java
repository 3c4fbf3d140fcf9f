package io.clusterboot.primary;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the primary notifies systemd, and how often it keeps the watchdog quiet. What it
 * sends is checked end to end on a real socket ({@code SystemdIT}).
 */
@EnabledOnOs(OS.LINUX)
class SystemdNotifierTests {

	private static final long PID = 4242;

	@Test
	void withoutANotifySocketNothingIsSent() {
		assertThat(SystemdNotifier.fromEnvironment(Map.of(), PID)).isSameAs(ServiceManager.NONE);
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", ""), PID)).isSameAs(ServiceManager.NONE);
	}

	@Test
	void aNotifySocketIsAnAbsolutePathOrAnAbstractName() {
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), PID))
			.isSameAs(ServiceManager.NONE);
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), PID))
			.isInstanceOf(SystemdNotifier.class);
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@notify"), PID))
			.isInstanceOf(SystemdNotifier.class);
	}

	@Test
	void theWatchdogIsKeptQuietAtHalfItsTimeout() {
		assertThat(watchdog(Map.of("WATCHDOG_USEC", "10000000"))).isEqualTo(Duration.ofSeconds(5));
		assertThat(watchdog(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", Long.toString(PID))))
			.isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void aWatchdogForAnotherProcessOrWithoutATimeoutIsNotThisOnes() {
		assertThat(watchdog(Map.of())).isNull();
		assertThat(watchdog(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "1"))).isNull();
		assertThat(watchdog(Map.of("WATCHDOG_USEC", "0"))).isNull();
		assertThat(watchdog(Map.of("WATCHDOG_USEC", "soon"))).isNull();
	}

	private static Duration watchdog(Map<String, String> watchdog) {
		Map<String, String> environment = new HashMap<>(watchdog);
		environment.put("NOTIFY_SOCKET", "@notify");
		return SystemdNotifier.fromEnvironment(environment, PID).watchdogInterval();
	}

}
