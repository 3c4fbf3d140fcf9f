package io.clusterboot.sample;

import java.security.Principal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.annotation.SubscribeMapping;
import org.springframework.stereotype.Controller;

/**
 * A chat room: every message goes to everyone in the room, whichever worker they are
 * connected to, and each message says which worker received it.
 */
@Controller
class ChatController {

	private final int workerId;

	private final SimpMessagingTemplate messaging;

	ChatController(@Value("${cluster.worker.id:0}") int workerId, SimpMessagingTemplate messaging) {
		this.workerId = workerId;
		this.messaging = messaging;
	}

	/**
	 * Tells a client which worker holds its connection.
	 * @return this worker's id and process
	 */
	@SubscribeMapping("/worker")
	Connected worker() {
		return new Connected(this.workerId, ProcessHandle.current().pid());
	}

	@MessageMapping("/chat")
	@SendTo("/topic/chat")
	ChatMessage chat(Said message, Principal user) {
		return new ChatMessage(user.getName(), message.text(), this.workerId);
	}

	/**
	 * A private message to one user, on whichever workers that user is connected.
	 * @param message the message, its {@code to} naming the user
	 * @param user who sends it
	 */
	@MessageMapping("/whisper")
	void whisper(Whisper message, Principal user) {
		this.messaging.convertAndSendToUser(message.to(), "/queue/whispers",
				new ChatMessage(user.getName(), message.text(), this.workerId));
	}

	record Connected(int worker, long pid) {
	}

	record Said(String text) {
	}

	record ChatMessage(String from, String text, int worker) {
	}

	record Whisper(String to, String text) {
	}

}
