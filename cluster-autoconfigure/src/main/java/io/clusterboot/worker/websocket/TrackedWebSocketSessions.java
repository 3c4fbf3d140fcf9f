package io.clusterboot.worker.websocket;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.clusterboot.worker.WebSocketSessions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * The open sessions of the WebSocket handlers it decorates, such as Spring's STOMP
 * endpoints, for the drain to close and the heartbeat to count.
 */
public class TrackedWebSocketSessions implements WebSocketSessions, WebSocketHandlerDecoratorFactory {

	private static final Log logger = LogFactory.getLog(TrackedWebSocketSessions.class);

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				TrackedWebSocketSessions.this.sessions.add(session);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				TrackedWebSocketSessions.this.sessions.remove(session);
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	@Override
	public int count() {
		return this.sessions.size();
	}

	@Override
	public int closeGoingAway() {
		int closed = 0;
		for (WebSocketSession session : this.sessions) {
			try {
				if (session.isOpen()) {
					session.close(CloseStatus.GOING_AWAY);
					closed++;
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not close WebSocket session " + session.getId(), ex);
			}
		}
		return closed;
	}

}
