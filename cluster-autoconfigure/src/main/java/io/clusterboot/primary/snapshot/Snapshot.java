package io.clusterboot.primary.snapshot;

import java.nio.file.Path;

/**
 * One version of the application, unpacked.
 *
 * @param key the SHA-256 of the boot jar it was unpacked from
 * @param buildVersion the {@code build.version} of the jar's {@code build-info}, if it
 * has one
 * @param digest the digest of the unpacked files, recorded when they were unpacked
 * @param directory where it is unpacked
 */
public record Snapshot(String key, String buildVersion, String digest, Path directory) {

	/**
	 * The jar that launches this version: the application's classes, with its libraries
	 * on its manifest's class path.
	 * @return the application jar
	 */
	public Path applicationJar() {
		return this.directory.resolve(SnapshotStore.APPLICATION_JAR);
	}

	/**
	 * A short, readable id: the first 12 hex digits of the key.
	 * @return the id
	 */
	public String id() {
		return this.key.substring(0, Math.min(12, this.key.length()));
	}

	@Override
	public String toString() {
		return (this.buildVersion != null) ? this.buildVersion + " (" + id() + ")" : id();
	}

}
