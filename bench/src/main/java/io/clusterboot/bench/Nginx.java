package io.clusterboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a round-robin proxy over plain JVMs, configured the way a Java team
 * would: keep-alive to the upstreams, no access log.
 */
final class Nginx {

	private Nginx() {
	}

	static Process start(Settings settings, int port, List<Integer> upstreams) throws IOException {
		Path prefix = Files.createDirectories(settings.work().resolve("nginx-" + port));
		Path config = prefix.resolve("nginx.conf");
		Files.writeString(config, configuration(prefix, port, upstreams));
		return new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", config.toString(), "-g", "daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(prefix.resolve("stdout.log").toFile())
			.start();
	}

	static String configuration(Path prefix, int port, List<Integer> upstreams) {
		String servers = upstreams.stream()
			.map((upstream) -> "    server 127.0.0.1:" + upstream + ";")
			.collect(Collectors.joining("\n"));
		return """
				worker_processes auto;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				events { worker_connections 4096; }
				http {
				  access_log off;
				  client_body_temp_path %1$s/body;
				  proxy_temp_path %1$s/proxy;
				  fastcgi_temp_path %1$s/fastcgi;
				  uwsgi_temp_path %1$s/uwsgi;
				  scgi_temp_path %1$s/scgi;
				  upstream app {
				%2$s
				    keepalive 64;
				  }
				  server {
				    listen 127.0.0.1:%3$d;
				    location / {
				      proxy_pass http://app;
				      proxy_http_version 1.1;
				      proxy_set_header Connection "";
				    }
				  }
				}
				""".formatted(prefix, servers, port);
	}

}
