package io.clusterboot.protocol;

/**
 * A finding of the cluster-readiness report: state that one JVM kept for the whole
 * application and that now splits across N workers.
 *
 * @param code a stable identifier, such as {@code embedded-database}, for
 * {@code cluster.advice.ignore} and {@code cluster.advice.fail-on}
 * @param subject what it concerns: a bean, a data source or a property
 * @param message what diverges between workers
 * @param remedy what to do about it
 */
public record Advice(String code, String subject, String message, String remedy) {

	/**
	 * Two findings are one when they have the same code and subject.
	 * @return code and subject
	 */
	public String key() {
		return this.code + " " + this.subject;
	}

}
