package io.clusterboot.primary.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import io.clusterboot.posix.PrivateDirectory;
import io.clusterboot.posix.ProcessLaunches;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Versions of the application, each the boot jar's content unpacked into Spring Boot's
 * extracted layout (the application jar and {@code lib/}), in a directory named after
 * the jar's SHA-256. Workers run from there, so the jar on disk can be overwritten in
 * place while they run, every worker knows its version, and the previous version stays
 * at hand for a rollback. The extracted layout is also what class-data sharing needs.
 * <p>
 * Workers run code from this directory, so it must be as safe as the jar: it belongs to
 * this user and no one else may enter it (0700), checked before every use, and a
 * snapshot's files are verified against the digest recorded when it was made.
 */
public final class SnapshotStore {

	private static final Log logger = LogFactory.getLog(SnapshotStore.class);

	static final String APPLICATION_JAR = "app.jar";

	/**
	 * Where a snapshot keeps what is derived from it, such as class-data archives: not
	 * part of its digest, deleted with it.
	 */
	public static final String CLASS_DATA = "class-data";

	private static final String DESCRIPTION = "snapshot.properties";

	private static final long EXTRACT_TIMEOUT_SECONDS = 120;

	private static final int COPY_ATTEMPTS = 3;

	/**
	 * Options for the JVM that unpacks a jar, a run of about half a second: measured here,
	 * the sample's 40 MB jar took 0.5 to 0.6 s and 0.7 to 0.8 CPU-seconds with C1 alone,
	 * against 0.7 s and 1.2 CPU-seconds with the JVM's defaults. No collector is chosen:
	 * one in {@code JAVA_TOOL_OPTIONS} would conflict with it.
	 */
	private static final List<String> SHORT_RUN_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

	/**
	 * What a primary leaves in the store while it prepares a version: the jar's private
	 * copy, the directory it is unpacked into and its log, and the clock probe; and a
	 * snapshot it is deleting. A primary that was killed meanwhile leaves them behind.
	 */
	private static final List<String> WORK_IN_PROGRESS = List.of("copy-", "unpacking-", "now-", "deleting-");

	/**
	 * How old work in progress must be to be taken as left behind: well past the time an
	 * unpacking may take, since another primary may be preparing a version right now.
	 */
	private static final Duration LEFT_BEHIND = Duration.ofMinutes(10);

	private static final String LOCK = ".in-use";

	/**
	 * The listing of a snapshot's files as they were when their content was last found
	 * intact.
	 */
	private static final String VERIFIED = ".verified";

	/**
	 * A jar's path, its identity and its version when it was last known, in a file per
	 * path whose name ends with a hash of the path.
	 */
	private static final String LAST_JAR_PREFIX = "last-jar-";

	private static final String LAST_JAR_SUFFIX = ".properties";

	/**
	 * The number of jar paths whose versions are remembered.
	 */
	private static final int KEPT_JARS = 16;

	private static final Set<String> BOOKKEEPING = Set.of(DESCRIPTION, LOCK, VERIFIED);

	private static final List<String> BUILD_INFO_LOCATIONS = List.of("META-INF/build-info.properties",
			"BOOT-INF/classes/META-INF/build-info.properties");

	private final Path root;

	private final String javaExecutable;

	private final Map<Path, FileLock> inUse = new HashMap<>();

	private SnapshotStore(Path root, String javaExecutable) {
		this.root = root;
		this.javaExecutable = javaExecutable;
	}

	/**
	 * Open the store, creating its directory if needed.
	 * @param root the store's directory
	 * @param javaExecutable the {@code java} that unpacks jars
	 * @return the store
	 * @throws IOException if the directory cannot be created, or is not safe: another
	 * owner, or permissions for anyone else
	 */
	public static SnapshotStore open(Path root, String javaExecutable) throws IOException {
		PrivateDirectory.createOrCheck(root);
		return new SnapshotStore(root, javaExecutable);
	}

	/**
	 * The store's directory.
	 * @return the directory
	 */
	public Path root() {
		return this.root;
	}

	/**
	 * Make sure the store's directory belongs to this user alone.
	 * @throws IOException if it does not
	 */
	void checkSafe() throws IOException {
		PrivateDirectory.check(this.root);
	}

	/**
	 * The version of a boot jar as it is now, unpacked into the store if it is new. The
	 * jar is hashed only if it is not the file whose version the store remembers, by
	 * device, inode, size, and modification and change times, as git's index trusts
	 * them: a copy over it, even one that keeps its size and modification time, changes
	 * its change time, and a rename its inode.
	 * @param bootJar the jar the application was started from
	 * @return its snapshot
	 * @throws IOException if the jar cannot be read or unpacked
	 */
	public Snapshot prepare(Path bootJar) throws IOException {
		Snapshot version = find(bootJar);
		// Locked before it is launched, so that no other primary deletes it meanwhile; one
		// that deleted it between being found and locked leaves it to be unpacked again
		if (!hold(version)) {
			version = find(bootJar);
			hold(version);
		}
		return version;
	}

	private Snapshot find(Path bootJar) throws IOException {
		Snapshot remembered = lastVersionOf(bootJar);
		if (remembered != null) {
			return remembered;
		}
		FileTime now = fileSystemTime();
		String before = identityOf(bootJar);
		Snapshot prepared = hashAndUnpack(bootJar);
		// A write within the clock tick of the jar's last change leaves its times as they
		// were, so a jar changed in the current tick is not remembered: git's index
		// calls such files racily clean
		FileTime changed = (FileTime) Files.getAttribute(bootJar, "unix:ctime");
		if (changed.compareTo(now) < 0 && before.equals(identityOf(bootJar))) {
			remember(bootJar, before, prepared.key());
		}
		return prepared;
	}

	private Snapshot hashAndUnpack(Path bootJar) throws IOException {
		// Hash a private copy, and unpack that, so that a jar overwritten meanwhile cannot
		// mix versions; the tools jar mode wants a name that ends with .jar
		Path copy = Files.createTempFile(this.root, "copy-", ".jar");
		try {
			String key = copyWhole(bootJar, copy);
			Snapshot known = existing(key);
			return (known != null) ? known : unpack(copy, key, directory(key));
		}
		finally {
			Files.deleteIfExists(copy);
		}
	}

	/**
	 * Copy a jar that is not being written meanwhile: a copy made while it changed
	 * (written in place, as {@code rsync --inplace} does) would be neither version.
	 * @return the SHA-256 of the copy
	 */
	private static String copyWhole(Path bootJar, Path copy) throws IOException {
		for (int attempt = 1;; attempt++) {
			String before = identityOf(bootJar);
			String key = copyAndHash(bootJar, copy);
			if (before.equals(identityOf(bootJar))) {
				return key;
			}
			if (attempt == COPY_ATTEMPTS) {
				throw new IOException(bootJar + " changed each time it was read (" + COPY_ATTEMPTS
						+ " times); is it still being written?");
			}
		}
	}

	/**
	 * The current time as this store's file system records it, which may lag the
	 * system clock by a tick.
	 */
	private FileTime fileSystemTime() throws IOException {
		Path probe = Files.createTempFile(this.root, "now-", "");
		try {
			return Files.getLastModifiedTime(probe);
		}
		finally {
			Files.delete(probe);
		}
	}

	/**
	 * The version of a boot jar without reading it: the one {@link #prepare} found for
	 * its path, if the file there is still the one it was then.
	 * @param bootJar the jar the application was started from
	 * @return its snapshot, or {@code null} if the file changed or no version is known
	 * @throws IOException if the store is not safe
	 */
	public Snapshot lastVersionOf(Path bootJar) throws IOException {
		checkSafe();
		Properties last = lastJar(bootJar);
		if (last == null || !Files.isRegularFile(bootJar)) {
			return null;
		}
		String key = last.getProperty("key", "");
		if (!bootJar.toString().equals(last.getProperty("path")) || key.length() < 16
				|| !identityOf(bootJar).equals(last.getProperty("identity"))) {
			return null;
		}
		return intact(key);
	}

	private Path lastJarRecord(Path bootJar) {
		return this.root.resolve(LAST_JAR_PREFIX + Sha256.nameOf(bootJar.toString()) + LAST_JAR_SUFFIX);
	}

	private Properties lastJar(Path bootJar) throws IOException {
		Path record = lastJarRecord(bootJar);
		if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		Properties last = new Properties();
		try (InputStream in = Files.newInputStream(record)) {
			last.load(in);
		}
		return last;
	}

	/**
	 * Remember which version the jar at a path is, for {@link #lastVersionOf}.
	 * @param bootJar the jar
	 * @param identity the jar's identity when its content was read
	 * @param key the key of its version, from that content
	 */
	void remember(Path bootJar, String identity, String key) {
		Properties last = new Properties();
		last.setProperty("path", bootJar.toString());
		last.setProperty("identity", identity);
		last.setProperty("key", key);
		try {
			PrivateDirectory.writeProperties(lastJarRecord(bootJar), last,
					"Written by the cluster primary; deleting it is safe");
			PrivateDirectory.keepNewest(this.root, LAST_JAR_PREFIX, LAST_JAR_SUFFIX, KEPT_JARS);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not remember the version of " + bootJar + ": " + ex.getMessage());
		}
	}

	/**
	 * The jar at a path was replaced by a copy of itself: if the version of what was
	 * copied is remembered, remember the copy as that version.
	 * @param bootJar the jar's path
	 * @param original the identity of the jar that was copied
	 * @param copy the identity of the copy now at the path
	 */
	public void copied(Path bootJar, String original, String copy) {
		try {
			Properties last = lastJar(bootJar);
			if (last != null && bootJar.toString().equals(last.getProperty("path"))
					&& original.equals(last.getProperty("identity"))) {
				remember(bootJar, copy, last.getProperty("key", ""));
			}
		}
		catch (IOException ex) {
			logger.debug("Could not remember the version of " + bootJar + ": " + ex.getMessage());
		}
	}

	/**
	 * A file's identity, as this store compares files: device, inode, size, and
	 * modification and change times.
	 * @param file the file
	 * @return its identity
	 * @throws IOException if its attributes cannot be read
	 */
	public static String identityOf(Path file) throws IOException {
		// Opened first: on NFS, an open fetches the file's attributes from the server
		// (close-to-open consistency), where a bare stat may answer from a cache
		try (FileChannel open = FileChannel.open(file)) {
			return identity(attributes(file));
		}
	}

	private static Map<String, Object> attributes(Path file, LinkOption... options) throws IOException {
		return Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime", options);
	}

	private static String identity(Map<String, Object> attributes) {
		return attributes.get("dev") + " " + attributes.get("ino") + " " + attributes.get("size") + " "
				+ attributes.get("lastModifiedTime") + " " + attributes.get("ctime");
	}

	private Path directory(String key) {
		return this.root.resolve(key.substring(0, 16));
	}

	private Snapshot intact(String key) throws IOException {
		Path directory = directory(key);
		if (!Files.isDirectory(directory)) {
			return null;
		}
		Snapshot existing = readIfDescribed(directory);
		try {
			return (existing != null && existing.key().equals(key) && verifies(existing)) ? existing : null;
		}
		catch (IOException ex) {
			logger.warn("Snapshot " + directory + " is not safe to run: " + ex.getMessage());
			return null;
		}
	}

	/**
	 * The snapshot of a key, if it is unpacked and intact; one that is not is deleted.
	 */
	private Snapshot existing(String key) throws IOException {
		Path directory = directory(key);
		if (!Files.isDirectory(directory)) {
			return null;
		}
		Snapshot existing = intact(key);
		if (existing != null) {
			return existing;
		}
		logger.warn("Snapshot " + directory + " is incomplete or does not match its digest; unpacking it again");
		if (!deleteUnlessLocked(directory)) {
			throw new IOException("Snapshot " + directory + " cannot be unpacked again while a cluster runs it: "
					+ "stop that cluster, or delete the directory");
		}
		return null;
	}

	private Snapshot unpack(Path jar, String key, Path directory) throws IOException {
		Path unpacking = Files.createTempDirectory(this.root, "unpacking-");
		try {
			List<String> command = new ArrayList<>(List.of(this.javaExecutable));
			command.addAll(SHORT_RUN_JVM_OPTIONS);
			command.addAll(List.of("-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
					unpacking.toString(), "--application-filename", APPLICATION_JAR, "--force"));
			Path output = unpacking.resolveSibling(unpacking.getFileName() + ".log");
			Process process = ProcessLaunches
				.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()));
			try {
				if (!process.waitFor(EXTRACT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					throw new IOException("Unpacking " + jar + " took longer than " + EXTRACT_TIMEOUT_SECONDS + " s");
				}
				if (process.exitValue() != 0 || !Files.isRegularFile(unpacking.resolve(APPLICATION_JAR))) {
					throw new IOException("'" + String.join(" ", command) + "' failed with code " + process.exitValue()
							+ " (is it a Spring Boot jar with the tools jar mode?): " + lastLine(output));
				}
			}
			finally {
				if (process.isAlive()) {
					// Timed out or interrupted: nothing may write into the directory deleted next
					process.destroyForcibly().onExit().join();
				}
				Files.deleteIfExists(output);
			}
			Properties description = new Properties();
			description.setProperty("key", key);
			description.setProperty("digest", digestAndCertify(unpacking));
			String buildVersion = buildVersion(jar);
			if (buildVersion != null) {
				description.setProperty("build-version", buildVersion);
			}
			try (OutputStream out = Files.newOutputStream(unpacking.resolve(DESCRIPTION))) {
				description.store(out, "Unpacked by the cluster primary; do not edit");
			}
			try {
				Files.move(unpacking, directory, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				// Another primary that prepared the same jar at once was first
				Snapshot theirs = intact(key);
				if (theirs == null) {
					throw ex;
				}
				return theirs;
			}
			return read(directory);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while unpacking " + jar, ex);
		}
		finally {
			if (Files.exists(unpacking)) {
				delete(unpacking);
			}
		}
	}

	private static String lastLine(Path output) throws IOException {
		List<String> lines = Files.readAllLines(output);
		return lines.stream().filter((line) -> line.startsWith("Caused by")).reduce((first, last) -> last)
			.orElse(lines.isEmpty() ? "" : lines.get(0));
	}

	/**
	 * Whether a snapshot is safe to launch: the store is still this user's alone, and the
	 * snapshot's files are those it was made with. Their content is hashed again only
	 * when a file's name, device, inode, size, or modification or change time changed
	 * since it was last found intact (recorded in the snapshot, so also across starts),
	 * as git's index trusts them, so that a launch does not read every library again.
	 * @param snapshot the snapshot
	 * @return {@code true} if it can be launched
	 */
	public boolean verify(Snapshot snapshot) {
		try {
			checkSafe();
			return verifies(snapshot);
		}
		catch (IOException ex) {
			logger.error("Refusing snapshot " + snapshot.directory() + ": " + ex.getMessage());
			return false;
		}
	}

	private boolean verifies(Snapshot snapshot) throws IOException {
		// Also what the digest does not cover: its description, its class-data archives
		PrivateDirectory.checkTree(snapshot.directory());
		List<Path> files = files(snapshot.directory());
		List<String> listing = listing(snapshot.directory(), files);
		Path verified = snapshot.directory().resolve(VERIFIED);
		if (Files.isRegularFile(verified, LinkOption.NOFOLLOW_LINKS)
				&& listing.equals(Files.readAllLines(verified, StandardCharsets.UTF_8))) {
			return true;
		}
		boolean intact = digest(snapshot.directory(), files).equals(snapshot.digest());
		if (intact) {
			certify(snapshot.directory(), listing);
		}
		return intact;
	}

	/**
	 * The digest of a tree just unpacked, which is also recorded as found intact: its
	 * first launch, often in a reload under load, need not read every library again.
	 * @param directory the tree
	 * @return its {@link #treeDigest}
	 * @throws IOException if a file cannot be read
	 */
	static String digestAndCertify(Path directory) throws IOException {
		List<Path> files = files(directory);
		// Listed before it is read: a file changed meanwhile no longer matches the listing
		List<String> listing = listing(directory, files);
		String digest = digest(directory, files);
		certify(directory, listing);
		return digest;
	}

	private static List<String> listing(Path directory, List<Path> files) throws IOException {
		List<String> listing = new ArrayList<>();
		for (Path file : files) {
			listing.add(directory.relativize(file) + " " + identity(attributes(file, LinkOption.NOFOLLOW_LINKS)));
		}
		return listing;
	}

	private static void certify(Path directory, List<String> listing) {
		try {
			Files.write(directory.resolve(VERIFIED), listing, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			logger.debug("Could not record that " + directory + " is intact: " + ex.getMessage());
		}
	}

	/**
	 * Keep the given snapshots, and delete every other one that no process uses: another
	 * cluster started from the same jar holds a lock on the snapshots it runs.
	 * @param kept the snapshots this cluster uses
	 */
	public synchronized void retainOnly(Collection<Snapshot> kept) {
		Set<Path> keep = Set.copyOf(kept.stream().map(Snapshot::directory).toList());
		for (Snapshot snapshot : kept) {
			hold(snapshot);
		}
		for (Path released : List.copyOf(this.inUse.keySet())) {
			if (!keep.contains(released)) {
				releaseLock(released);
			}
		}
		try (Stream<Path> entries = Files.list(this.root)) {
			for (Path entry : entries.toList()) {
				if (isVersion(entry) && !keep.contains(entry) && deleteUnlessLocked(entry)) {
					logger.info("Deleted snapshot " + entry.getFileName() + ": no worker runs it any more");
				}
				else if (isLeftBehind(entry)) {
					delete(entry);
					logger.info("Deleted " + entry.getFileName() + ", left behind by a primary that stopped while it "
							+ "prepared a version");
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not delete old snapshots in " + this.root + ": " + ex.getMessage());
		}
	}

	private static boolean isVersion(Path entry) {
		String name = entry.getFileName().toString();
		return Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
				&& WORK_IN_PROGRESS.stream().noneMatch(name::startsWith) && Files.exists(entry.resolve(DESCRIPTION));
	}

	private static boolean isLeftBehind(Path entry) throws IOException {
		String name = entry.getFileName().toString();
		return WORK_IN_PROGRESS.stream().anyMatch(name::startsWith)
				&& Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant()
					.isBefore(Instant.now().minus(LEFT_BEHIND));
	}

	/**
	 * Hold a shared lock on a snapshot this primary is about to run, until
	 * {@link #retainOnly} no longer keeps it: no other primary deletes it meanwhile.
	 * @param snapshot the snapshot
	 * @return {@code false} if it was deleted before it could be locked
	 */
	public synchronized boolean hold(Snapshot snapshot) {
		Path directory = snapshot.directory();
		if (this.inUse.containsKey(directory)) {
			return true;
		}
		FileChannel channel = null;
		try {
			channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock lock = channel.lock(0, Long.MAX_VALUE, true);
			if (!Files.exists(directory.resolve(DESCRIPTION), LinkOption.NOFOLLOW_LINKS)) {
				// Deleted while this waited for the lock: it was moved away before
				channel.close();
				return false;
			}
			this.inUse.put(directory, lock);
			return true;
		}
		catch (IOException ex) {
			logger.debug("Could not lock " + directory + ": " + ex.getMessage());
			closeQuietly(channel);
			return !(ex instanceof NoSuchFileException);
		}
		catch (OverlappingFileLockException ex) {
			// Another store in this JVM holds it, which is as good
			closeQuietly(channel);
			return true;
		}
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// Released with the channel anyway
			}
		}
	}

	private void releaseLock(Path directory) {
		closeQuietly(this.inUse.remove(directory).channel());
	}

	private boolean deleteUnlessLocked(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
				StandardOpenOption.READ, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
			if (lock == null) {
				return false;
			}
			// Out of the way first: a snapshot half deleted must not pass for one
			Path deleting = Files.createTempDirectory(this.root, "deleting-");
			Files.move(directory, deleting.resolve(directory.getFileName()), StandardCopyOption.ATOMIC_MOVE);
			delete(deleting);
			return true;
		}
		catch (OverlappingFileLockException ex) {
			// This JVM uses it
			return false;
		}
	}

	/**
	 * A snapshot as its description tells, or {@code null} without one: what a primary
	 * stopped while it deleted a snapshot may leave behind.
	 */
	private static Snapshot readIfDescribed(Path directory) throws IOException {
		try {
			return read(directory);
		}
		catch (NoSuchFileException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static Snapshot read(Path directory) throws IOException {
		Properties description = new Properties();
		try (InputStream in = Files.newInputStream(directory.resolve(DESCRIPTION))) {
			description.load(in);
		}
		return new Snapshot(description.getProperty("key", ""), description.getProperty("build-version"),
				description.getProperty("digest", ""), directory);
	}

	/**
	 * Copy a file, and return the SHA-256 of what was copied.
	 */
	private static String copyAndHash(Path source, Path target) throws IOException {
		try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(target)) {
			return HexFormat.of().formatHex(Sha256.copy(in, out));
		}
	}

	/**
	 * A digest of every file under a directory but the bookkeeping: names and contents.
	 */
	static String treeDigest(Path directory) throws IOException {
		return digest(directory, files(directory));
	}

	/**
	 * The files of a snapshot that its digest covers, in a stable order: all but its
	 * description, its lock and what is derived from it.
	 */
	private static List<Path> files(Path directory) throws IOException {
		List<Path> files = new ArrayList<>();
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
				boolean bookkeeping = file.getParent().equals(directory)
						&& BOOKKEEPING.contains(file.getFileName().toString());
				if (!bookkeeping) {
					files.add(file);
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
				return dir.equals(directory.resolve(CLASS_DATA)) ? FileVisitResult.SKIP_SUBTREE
						: FileVisitResult.CONTINUE;
			}

		});
		files.sort(null);
		return files;
	}

	private static String digest(Path directory, List<Path> files) throws IOException {
		MessageDigest tree = Sha256.newDigest();
		for (Path file : files) {
			byte[] content;
			try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
				content = Sha256.copy(in, OutputStream.nullOutputStream());
			}
			tree.update(directory.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
			tree.update((byte) 0);
			tree.update(content);
		}
		return HexFormat.of().formatHex(tree.digest());
	}

	/**
	 * The version Spring Boot's {@code build-info} goal recorded: Maven's plugin writes it
	 * at the jar's root, Gradle's among the application's classes.
	 */
	static String buildVersion(Path bootJar) {
		try (JarFile jar = new JarFile(bootJar.toFile())) {
			ZipEntry entry = BUILD_INFO_LOCATIONS.stream().map(jar::getEntry).filter(Objects::nonNull).findFirst()
				.orElse(null);
			if (entry == null) {
				return null;
			}
			Properties buildInfo = new Properties();
			try (InputStream in = jar.getInputStream(entry)) {
				buildInfo.load(in);
			}
			return buildInfo.getProperty("build.version");
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void delete(Path directory) throws IOException {
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					// Deleted by another primary meanwhile
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
				if (ex != null && !(ex instanceof NoSuchFileException)) {
					throw ex;
				}
				Files.deleteIfExists(dir);
				return FileVisitResult.CONTINUE;
			}

		});
	}

}
