package io.clusterboot.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Fails the application on startup when {@code sample.fail-on-startup} is true: a
 * stand-in for a broken release, to show how the cluster handles one.
 */
@Component
@ConditionalOnBooleanProperty("sample.fail-on-startup")
class StartupFailure {

	StartupFailure() {
		throw new IllegalStateException("sample.fail-on-startup is true: refusing to start");
	}

}
