package io.clusterboot.posix;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

	private static final int ROOT = 0;

	private static final int GROUP_WRITE = 0020;

	private static final int OTHERS_WRITE = 0002;

	private static final int STICKY = 01000;

	private PrivateDirectory() {
	}

	/**
	 * Create the directory for this user alone if it does not exist, then check it.
	 * @param directory the directory
	 * @throws IOException if it cannot be created, or it exists and is not private
	 */
	public static void createOrCheck(Path directory) throws IOException {
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			// Parents it creates are this user's alone too, whatever the umask would allow
			Files.createDirectories(directory.toAbsolutePath().getParent(),
					PosixFilePermissions.asFileAttribute(OWNER_ONLY));
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
	 * to anyone else, and that no other user can move it or a directory above it aside:
	 * each of those belongs to this user or root and only they can write to it, or it is
	 * sticky, as {@code /tmp} is, where only an entry's owner may move it.
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
		checkAncestors(directory, user);
	}

	private static void checkAncestors(Path directory, int user) throws IOException {
		Path parent = directory.toAbsolutePath().getParent();
		// The path as given, whose links another user could replace, and where it leads
		Set<Path> ancestors = new LinkedHashSet<>();
		for (Path ancestor = parent; ancestor != null; ancestor = ancestor.getParent()) {
			ancestors.add(ancestor);
		}
		for (Path ancestor = parent.toRealPath(); ancestor != null; ancestor = ancestor.getParent()) {
			ancestors.add(ancestor);
		}
		for (Path ancestor : ancestors) {
			Map<String, Object> attributes = Files.readAttributes(ancestor, "unix:uid,mode,isSymbolicLink",
					LinkOption.NOFOLLOW_LINKS);
			if ((Boolean) attributes.get("isSymbolicLink")) {
				// Its directory is checked, and where it leads
				continue;
			}
			int owner = (Integer) attributes.get("uid");
			int mode = (Integer) attributes.get("mode");
			boolean othersWrite = (mode & (GROUP_WRITE | OTHERS_WRITE)) != 0 && (mode & STICKY) == 0;
			if ((owner != user && owner != ROOT) || othersWrite) {
				throw new IOException(directory + " is inside " + ancestor + ", which belongs to uid " + owner
						+ " with mode " + Integer.toOctalString(mode & 07777) + ": another user could move "
						+ directory.getFileName() + " aside and put one of their own in its place; each directory "
						+ "above it must be this user's (uid " + user + ") or root's, writable by its owner alone or "
						+ "sticky, as /tmp is");
			}
		}
	}

	/**
	 * Make sure every file and directory under a private directory is this user's, and
	 * none is a link: what another user planted while the directory was less guarded is
	 * refused. Their modes are not checked: no one else can reach them, and the umask
	 * (002 where each user has a group of their own) decides them.
	 * @param directory the private directory
	 * @throws IOException if an entry is not
	 */
	public static void checkTree(Path directory) throws IOException {
		int user = currentUser();
		try (Stream<Path> tree = Files.walk(directory)) {
			for (Path entry : (Iterable<Path>) tree::iterator) {
				Map<String, Object> attributes = Files.readAttributes(entry, "unix:uid,isSymbolicLink",
						LinkOption.NOFOLLOW_LINKS);
				int owner = (Integer) attributes.get("uid");
				if ((Boolean) attributes.get("isSymbolicLink") || owner != user) {
					throw new IOException(entry + " belongs to uid " + owner
							+ (((Boolean) attributes.get("isSymbolicLink")) ? " and is a link" : "")
							+ "; everything in " + directory + " must be this user's (uid " + user + ") and no link");
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
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
