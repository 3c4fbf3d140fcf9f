package io.clusterboot.primary;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Resolves the {@code cluster.instances} syntax shared with PM2's {@code -i}: {@code max}
 * or {@code 0} for one worker per available processor, {@code -N} for all but N, and
 * {@code N} for exactly N.
 */
public final class InstanceCount {

	/**
	 * Upper bound that catches typos such as {@code 100000} before they fork a JVM per
	 * unit.
	 */
	public static final int LIMIT = 1024;

	static final String ACCEPTED = "'max', '0' (one per processor), '-N' (all processors but N) or 'N' (1 to " + LIMIT
			+ ")";

	private InstanceCount() {
	}

	/**
	 * Resolve a {@code cluster.instances} value.
	 * @param property the property name, for the error message
	 * @param value the configured value
	 * @param availableProcessors what {@code max} means on this machine
	 * @return the number of workers, at least 1
	 * @throws InvalidConfigurationPropertyValueException if the value is not valid
	 */
	public static int resolve(String property, String value, int availableProcessors) {
		String trimmed = (value != null) ? value.trim() : "";
		if (trimmed.equalsIgnoreCase("max")) {
			return availableProcessors;
		}
		int number;
		try {
			number = Integer.parseInt(trimmed);
		}
		catch (NumberFormatException ex) {
			throw invalid(property, value, "it is not a number nor 'max'");
		}
		if (number == 0) {
			return availableProcessors;
		}
		if (number < 0) {
			int remaining = availableProcessors + number;
			if (remaining < 1) {
				throw invalid(property, value,
						"it leaves no worker on " + availableProcessors + " available processor(s)");
			}
			return remaining;
		}
		if (number > LIMIT) {
			throw invalid(property, value, "it is more than " + LIMIT + " workers");
		}
		return number;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, String value, String why) {
		return new InvalidConfigurationPropertyValueException(property, value, why + ". Accepted values: " + ACCEPTED);
	}

}
