package io.clusterboot.primary.socket;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.clusterboot.posix.LibC;

/**
 * The classic BPF program that routes each connection of a {@code SO_REUSEPORT} group to
 * the socket at the index it returns: a hash of the client's address modulo the number
 * of routed sockets, so every connection from one address reaches one socket.
 * <p>
 * The kernel runs the program on the connection's first packet, with its data pulled
 * past the TCP header, so the program reads the IP header through {@code SKF_NET_OFF}. A
 * dual-stack socket sees IPv4 clients as IPv4 packets, which hash the same as on an IPv4
 * socket. {@link #slotOf} computes the same hash in Java.
 */
final class ClientAddressRouting {

	private static final int SKF_NET_OFF = -0x100000;

	private static final int HASH_MULTIPLIER = 0x9E3779B1;

	private static final int HASH_SHIFT = 16;

	private static final int INSTRUCTION_BYTES = 8;

	// Instruction classes and modes of linux/filter.h, combined
	private static final short LOAD_BYTE = 0x30;

	private static final short LOAD_WORD = 0x20;

	private static final short SHIFT_RIGHT = 0x74;

	private static final short JUMP_IF_EQUAL = 0x15;

	private static final short JUMP = 0x05;

	private static final short A_TO_X = 0x07;

	private static final short XOR_X = 0xac;

	private static final short MULTIPLY = 0x24;

	private static final short MODULO = 0x94;

	private static final short RETURN_A = 0x16;

	private ClientAddressRouting() {
	}

	/**
	 * Route the connections of a socket's group over its first sockets.
	 * @param fd any socket of the group
	 * @param sockets how many sockets, from the first, receive connections
	 */
	static void attach(int fd, int sockets) {
		List<Instruction> program = program(sockets);
		Memory filter = new Memory((long) program.size() * INSTRUCTION_BYTES);
		for (int i = 0; i < program.size(); i++) {
			Instruction instruction = program.get(i);
			long offset = (long) i * INSTRUCTION_BYTES;
			filter.setShort(offset, instruction.code());
			filter.setByte(offset + 2, instruction.jumpIfTrue());
			filter.setByte(offset + 3, instruction.jumpIfFalse());
			filter.setInt(offset + 4, instruction.k());
		}
		// struct sock_fprog: the instruction count, then a pointer to the instructions
		Memory fprog = new Memory(2L * Native.POINTER_SIZE);
		fprog.clear();
		fprog.setShort(0, (short) program.size());
		fprog.setPointer(Native.POINTER_SIZE, filter);
		LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ATTACH_REUSEPORT_CBPF, fprog, (int) fprog.size());
	}

	static List<Instruction> program(int sockets) {
		if (sockets < 1) {
			throw new IllegalArgumentException("At least one socket must be routed, not " + sockets);
		}
		return List.of(
				// The IP version, in the first four bits of the header
				new Instruction(LOAD_BYTE, 0, 0, SKF_NET_OFF), new Instruction(SHIFT_RIGHT, 0, 0, 4),
				new Instruction(JUMP_IF_EQUAL, 2, 0, 6),
				// IPv4: the source address, at byte 12
				new Instruction(LOAD_WORD, 0, 0, SKF_NET_OFF + 12), new Instruction(JUMP, 0, 0, 10),
				// IPv6: the four words of the source address, at byte 8, folded by XOR
				new Instruction(LOAD_WORD, 0, 0, SKF_NET_OFF + 8), new Instruction(A_TO_X, 0, 0, 0),
				new Instruction(LOAD_WORD, 0, 0, SKF_NET_OFF + 12), new Instruction(XOR_X, 0, 0, 0),
				new Instruction(A_TO_X, 0, 0, 0), new Instruction(LOAD_WORD, 0, 0, SKF_NET_OFF + 16),
				new Instruction(XOR_X, 0, 0, 0), new Instruction(A_TO_X, 0, 0, 0),
				new Instruction(LOAD_WORD, 0, 0, SKF_NET_OFF + 20), new Instruction(XOR_X, 0, 0, 0),
				// Multiplicative hashing spreads neighbouring addresses; its high bits mix best
				new Instruction(MULTIPLY, 0, 0, HASH_MULTIPLIER), new Instruction(SHIFT_RIGHT, 0, 0, HASH_SHIFT),
				new Instruction(MODULO, 0, 0, sockets), new Instruction(RETURN_A, 0, 0, 0));
	}

	/**
	 * The index of the socket that the program routes a client's connections to.
	 * @param client the client's address
	 * @param sockets how many sockets are routed
	 * @return the socket's index, from 0
	 */
	static int slotOf(InetAddress client, int sockets) {
		ByteBuffer address = ByteBuffer.wrap(client.getAddress());
		int folded = address.getInt();
		if (!(client instanceof Inet4Address)) {
			folded ^= address.getInt() ^ address.getInt() ^ address.getInt();
		}
		return Integer.remainderUnsigned((folded * HASH_MULTIPLIER) >>> HASH_SHIFT, sockets);
	}

	record Instruction(short code, byte jumpIfTrue, byte jumpIfFalse, int k) {

		Instruction(short code, int jumpIfTrue, int jumpIfFalse, int k) {
			this(code, (byte) jumpIfTrue, (byte) jumpIfFalse, k);
		}

	}

}
