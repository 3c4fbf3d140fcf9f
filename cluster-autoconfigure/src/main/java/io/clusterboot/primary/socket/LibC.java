package io.clusterboot.primary.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;

/**
 * The C library calls that create a listening socket and place it where a child process
 * inherits it. Java can bind a socket but cannot hand one to a child process.
 */
interface LibC extends Library {

	int AF_INET = 2;

	int AF_INET6 = 10;

	int SOCK_STREAM = 1;

	int SOL_SOCKET = 1;

	int SO_REUSEADDR = 2;

	int IPPROTO_IPV6 = 41;

	int IPV6_V6ONLY = 26;

	int EACCES = 13;

	int EADDRINUSE = 98;

	int EAFNOSUPPORT = 97;

	int STDIN = 0;

	LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

	int socket(int domain, int type, int protocol) throws LastErrorException;

	int setsockopt(int fd, int level, int option, IntByReference value, int length) throws LastErrorException;

	int bind(int fd, byte[] address, int length) throws LastErrorException;

	int listen(int fd, int backlog) throws LastErrorException;

	int getsockname(int fd, byte[] address, IntByReference length) throws LastErrorException;

	int dup2(int fd, int target) throws LastErrorException;

	int close(int fd) throws LastErrorException;

}
