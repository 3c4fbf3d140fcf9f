package io.clusterboot.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where a primary listens for its command line ({@code java -Djarmode=cluster -jar
 * app.jar}): a Unix domain socket per running primary, in a directory only its user can
 * enter, named after the application's jar so that the command line run from that jar
 * finds it.
 */
public final class AdminSocket {

	private static final String DIRECTORY = "cluster-spring-boot";

	private static final String SUFFIX = ".sock";

	private AdminSocket() {
	}

	/**
	 * The directory of this user's admin sockets: in {@code $XDG_RUNTIME_DIR}, which
	 * systemd gives each user, or else in the temporary directory, per user id.
	 * @return the directory
	 */
	public static Path directory() {
		return directory(System.getenv("XDG_RUNTIME_DIR"), Path.of(System.getProperty("java.io.tmpdir")),
				Path.of("/proc/self"));
	}

	static Path directory(String runtime, Path temporary, Path thisProcess) {
		if (runtime != null && !runtime.isBlank()) {
			return Path.of(runtime, DIRECTORY);
		}
		return temporary.resolve(DIRECTORY + "-" + user(thisProcess));
	}

	/**
	 * This process's user id, which {@code /proc} gives as the owner of the process's own
	 * directory: every user has one, where a name may be missing (a container's user
	 * with no entry in {@code /etc/passwd} is named {@code ?}). The user's name where
	 * there is no {@code /proc}.
	 */
	private static String user(Path thisProcess) {
		try {
			return Files.getAttribute(thisProcess, "unix:uid").toString();
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return System.getProperty("user.name");
		}
	}

	/**
	 * A name for an application that stays the same for every launch of one jar: its file
	 * name and a hash of its absolute path.
	 * @param jar the application's jar
	 * @return the name, such as {@code app-1a2b3c4d}
	 */
	public static String applicationName(Path jar) {
		String path = jar.toAbsolutePath().normalize().toString();
		return jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + HexFormat.of().toHexDigits(path.hashCode());
	}

	/**
	 * The socket of one primary.
	 * @param applicationName the application's name
	 * @param pid the primary's process id
	 * @return the socket's path
	 */
	public static Path of(String applicationName, long pid) {
		return directory().resolve(applicationName + "-" + pid + SUFFIX);
	}

	/**
	 * Whether a file is the admin socket of one of this application's primaries.
	 * @param file the file
	 * @param applicationName the application's name
	 * @return whether it is
	 */
	public static boolean belongsTo(Path file, String applicationName) {
		return file.getFileName().toString().startsWith(applicationName + "-") && pidOf(file) > 0;
	}

	/**
	 * The pid of the primary whose admin socket a file is.
	 * @param file the file
	 * @return the pid, or -1 if the file is no admin socket
	 */
	public static long pidOf(Path file) {
		String name = file.getFileName().toString();
		int dash = name.lastIndexOf('-');
		if (dash < 0 || !name.endsWith(SUFFIX)) {
			return -1;
		}
		String pid = name.substring(dash + 1, name.length() - SUFFIX.length());
		return (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit)) ? Long.parseLong(pid) : -1;
	}

}
