package io.clusterboot.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/**
 * HTTP sessions in Redis, which every worker reads: the remedy for in-memory sessions in
 * a cluster. Active with the {@code redis-sessions} profile, on {@code sample.redis.host}
 * and {@code sample.redis.port}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("redis-sessions")
@EnableRedisHttpSession
class RedisSessionConfiguration {

	@Bean
	LettuceConnectionFactory redisConnectionFactory(@Value("${sample.redis.host:127.0.0.1}") String host,
			@Value("${sample.redis.port:6379}") int port) {
		return new LettuceConnectionFactory(host, port);
	}

}
