package io.clusterboot.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The C library calls the primary and its workers make, where Java has no API: creating
 * listening sockets, routing their connections, and placing them where a child process
 * inherits them, notifying systemd, signalling a process, lowering a thread's scheduling
 * priority, pinning it to CPUs, returning freed C heap to the operating system, and
 * telling who this process's user is.
 */
public interface LibC extends Library {

	int AF_UNIX = 1;

	int AF_INET = 2;

	int AF_INET6 = 10;

	int SOCK_STREAM = 1;

	int SOCK_DGRAM = 2;

	int SOCK_CLOEXEC = 02000000;

	int MSG_NOSIGNAL = 0x4000;

	int SOL_SOCKET = 1;

	int SO_REUSEADDR = 2;

	int SO_REUSEPORT = 15;

	int SO_ACCEPTCONN = 30;

	int SO_ATTACH_REUSEPORT_CBPF = 51;

	int IPPROTO_IPV6 = 41;

	int IPV6_V6ONLY = 26;

	int EACCES = 13;

	int EADDRINUSE = 98;

	int EAFNOSUPPORT = 97;

	int STDIN = 0;

	int O_RDONLY = 0;

	int O_CLOEXEC = 02000000;

	int SIGQUIT = 3;

	LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

	int socket(int domain, int type, int protocol) throws LastErrorException;

	int setsockopt(int fd, int level, int option, IntByReference value, int length) throws LastErrorException;

	int setsockopt(int fd, int level, int option, Pointer value, int length) throws LastErrorException;

	int getsockopt(int fd, int level, int option, IntByReference value, IntByReference length)
			throws LastErrorException;

	int bind(int fd, byte[] address, int length) throws LastErrorException;

	int listen(int fd, int backlog) throws LastErrorException;

	int getsockname(int fd, byte[] address, IntByReference length) throws LastErrorException;

	int sendto(int fd, byte[] message, int length, int flags, Pointer address, int addressLength)
			throws LastErrorException;

	int open(String path, int flags) throws LastErrorException;

	int dup2(int fd, int target) throws LastErrorException;

	int close(int fd) throws LastErrorException;

	int setpriority(int which, int who, int prio) throws LastErrorException;

	/**
	 * The CPUs a thread may run on.
	 * @param tid the thread, 0 for the calling one
	 * @param size the mask's size in bytes
	 * @param mask receives one bit per CPU
	 * @return 0
	 */
	int sched_getaffinity(int tid, long size, long[] mask) throws LastErrorException;

	/**
	 * Restrict a thread, and what it starts from now on, to some CPUs.
	 * @param tid the thread, 0 for the calling one
	 * @param size the mask's size in bytes
	 * @param mask one bit per CPU
	 * @return 0
	 */
	int sched_setaffinity(int tid, long size, long[] mask) throws LastErrorException;

	/**
	 * glibc only: other C libraries throw {@link UnsatisfiedLinkError}.
	 * @param pad bytes to leave at the top of the heap
	 * @return 1 if memory was returned
	 */
	int malloc_trim(long pad);

	/**
	 * Examine or change the action of a signal. On glibc, a {@code struct sigaction}
	 * begins with the handler; {@code SIG_DFL} is 0 and {@code SIG_IGN} is 1.
	 * @param signal the signal number
	 * @param action the new action, or {@code null} to only read the current one
	 * @param previous receives the current action, or {@code null}
	 * @return 0
	 * @throws LastErrorException if the signal number is invalid
	 */
	int sigaction(int signal, Pointer action, Pointer previous) throws LastErrorException;

	/**
	 * Send a signal to a process.
	 * @param pid the process
	 * @param signal the signal number
	 * @return 0
	 * @throws LastErrorException if the process does not exist or is not this user's
	 */
	int kill(int pid, int signal) throws LastErrorException;

	/**
	 * This process's real user id, which owns what it creates: the JDK only knows the
	 * user's name, and a user id without a name in the password database (a container's
	 * {@code --user 1234}) has none.
	 * @return the user id
	 */
	int getuid();

	/**
	 * Create a named pipe.
	 * @param path where
	 * @param mode its permissions
	 * @return 0
	 * @throws LastErrorException if it cannot be created
	 */
	int mkfifo(String path, int mode) throws LastErrorException;

}
