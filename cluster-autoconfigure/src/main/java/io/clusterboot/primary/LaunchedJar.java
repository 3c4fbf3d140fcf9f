package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;

import io.clusterboot.primary.snapshot.SnapshotStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the primary safe from its own jar being overwritten in place. The primary loads
 * classes from the jar it was started with for as long as it runs; a {@code cp} of a new
 * build onto that path rewrites the very file the primary reads, and its next class load
 * fails. Replacing the path with an identical copy, by a rename, leaves the primary
 * reading a file that no one can reach any more, while the path takes whatever is
 * copied onto it next. Workers run from snapshots, not from the path.
 */
final class LaunchedJar {

	private static final Log logger = LogFactory.getLog(LaunchedJar.class);

	private LaunchedJar() {
	}

	/**
	 * Put an identical copy of the jar in its place, unless the jar changes while it is
	 * copied: a copy of a jar being overwritten would be neither version.
	 * @param jar the jar this JVM was launched from
	 * @return the jar's identity when it was copied and the copy's, now at its path; or
	 * {@code null} if the path still names the jar this JVM reads
	 */
	static Replacement detach(Path jar) {
		Path copy = null;
		try {
			PosixFileAttributes attributes = Files.readAttributes(jar, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isRegularFile()) {
				throw new IOException("it is not a regular file");
			}
			String original = SnapshotStore.identityOf(jar);
			copy = Files.createTempFile(jar.getParent(), "." + jar.getFileName(), ".tmp");
			Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
			Files.setPosixFilePermissions(copy, attributes.permissions());
			if (!original.equals(SnapshotStore.identityOf(jar))) {
				throw new IOException("it changed while it was copied");
			}
			Files.move(copy, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			copy = null;
			return new Replacement(original, SnapshotStore.identityOf(jar));
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.warn("Cannot protect the primary from an in-place overwrite of " + jar + " (" + ex.getMessage()
					+ "): deploy a new jar by renaming it into place, not by copying onto it");
			return null;
		}
		finally {
			if (copy != null) {
				try {
					Files.deleteIfExists(copy);
				}
				catch (IOException cleanup) {
					// Best effort
				}
			}
		}
	}

	/**
	 * A jar replaced by a copy of itself.
	 *
	 * @param original the jar's identity when it was copied
	 * @param copy the copy's identity
	 * @see SnapshotStore#identityOf(Path)
	 */
	record Replacement(String original, String copy) {
	}

}
