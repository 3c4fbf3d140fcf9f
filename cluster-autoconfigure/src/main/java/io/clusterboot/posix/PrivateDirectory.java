package io.clusterboot.posix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A directory that belongs to this user and that no other user may enter: where the
 * primary keeps what another local user must not reach or replace, such as its admin
 * socket and the snapshots its workers run code from.
 */
public final class PrivateDirectory {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private PrivateDirectory() {
	}

	/**
	 * Create the directory for this user alone if it does not exist, then check it.
	 * @param directory the directory
	 * @throws IOException if it cannot be created, or it exists and is not private
	 */
	public static void createOrCheck(Path directory) throws IOException {
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			Files.createDirectories(directory.toAbsolutePath().getParent());
			try {
				Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			}
			catch (FileAlreadyExistsException ex) {
				// Created by another process meanwhile: checked below like any other
			}
		}
		check(directory);
	}

	/**
	 * Make sure the directory, not a link to one, belongs to this user and grants nothing
	 * to anyone else.
	 * @param directory the directory
	 * @throws IOException if it does not
	 */
	public static void check(Path directory) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(directory + " is not a directory");
		}
		int owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		int user = currentUser();
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
		if (owner != user || !OWNER_ONLY.containsAll(permissions)) {
			throw new IOException(directory + " belongs to uid " + owner + " with permissions "
					+ PosixFilePermissions.toString(permissions) + "; it must be this user's (uid " + user
					+ "), rwx------, so that no other user can plant files there");
		}
	}

	/**
	 * Write properties to a file in a private directory, all at once: a reader finds the
	 * previous content or the new one, never a part.
	 * @param file the file
	 * @param properties what to write
	 * @param comment the first line of the file
	 * @throws IOException if it cannot be written
	 */
	public static void writeProperties(Path file, Properties properties, String comment) throws IOException {
		Path written = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
		try {
			try (OutputStream out = Files.newOutputStream(written)) {
				properties.store(out, comment);
			}
			Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(written);
		}
	}

	/**
	 * Delete all but the most recently modified files of a kind in a directory.
	 * @param directory the directory
	 * @param prefix how their names start
	 * @param suffix how their names end
	 * @param count how many to keep
	 * @throws IOException if the directory cannot be listed or a file deleted
	 */
	public static void keepNewest(Path directory, String prefix, String suffix, int count) throws IOException {
		List<Path> kind;
		try (Stream<Path> files = Files.list(directory)) {
			kind = files.filter((file) -> file.getFileName().toString().startsWith(prefix)
					&& file.getFileName().toString().endsWith(suffix))
				.sorted(Comparator.comparing(PrivateDirectory::modified).reversed())
				.toList();
		}
		for (Path old : kind.subList(Math.min(count, kind.size()), kind.size())) {
			Files.deleteIfExists(old);
		}
	}

	private static FileTime modified(Path file) {
		try {
			return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

	private static int currentUser() throws IOException {
		try {
			return LibC.INSTANCE.getuid();
		}
		catch (LinkageError ex) {
			throw new IOException("Cannot tell this process's user id: " + ex.getMessage(), ex);
		}
	}

}
