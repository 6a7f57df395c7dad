package dev.spillway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The other proxies the overhead scenario measures against, each started on a free loopback port
 * in front of the same upstream: nginx ({@code proxy_pass} with upstream keepalive, one worker) and
 * Portkey's open-source gateway (Node, the OpenAI provider with a custom host). Neither is a
 * dependency: {@code bench/run-all} installs them when missing; here they are only found.
 */
final class PeerProcesses {
  /** Portkey's start script inside an {@code npm install --prefix DIR @portkey-ai/gateway}. */
  static final String PORTKEY_SCRIPT = "node_modules/@portkey-ai/gateway/build/start-server.js";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;

  PeerProcesses(Path workDir) {
    this.workDir = workDir;
  }

  static boolean nginxAvailable() {
    return ChildProcess.onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  static boolean portkeyAvailable(Optional<Path> portkeyDir) {
    return portkeyDir.map(d -> Files.isRegularFile(d.resolve(PORTKEY_SCRIPT))).orElse(false) && ChildProcess.onPath("node");
  }

  /** nginx, one worker, forwarding everything to {@code upstreamPort} over kept-alive connections. */
  SpillwayProcesses.Started nginx(int upstreamPort, Optional<String> cpus) {
    int port = Loopback.freePort();
    Path dir = workDir.resolve("nginx");
    String conf = """
        daemon off;
        master_process on;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 20000; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          keepalive_requests 1000000;
          upstream sim { server 127.0.0.1:%2$d; keepalive 256; keepalive_requests 1000000; }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://sim;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
            }
            location = /nginx-ready { return 200; }
          }
        }
        """.formatted(dir, upstreamPort, port);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("nginx.conf"), conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String bin = ChildProcess.onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
    List<String> cmd = List.of(bin, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
    ChildProcess p = ChildProcess.start("nginx", cmd, cpus, dir, Map.of());
    String base = "http://127.0.0.1:" + port;
    return new SpillwayProcesses.Started(p, base, Loopback.awaitOk(base + "/nginx-ready", p, START_TIMEOUT));
  }

  /** Portkey's gateway (headless, production mode: no UI, no request log stream). */
  SpillwayProcesses.Started portkey(Path portkeyDir, Optional<String> cpus) {
    int port = Loopback.freePort();
    List<String> cmd = List.of("node", portkeyDir.resolve(PORTKEY_SCRIPT).toString(), "--port=" + port, "--headless");
    ChildProcess p = ChildProcess.start("portkey", cmd, cpus, workDir.resolve("portkey"), Map.of("NODE_ENV", "production"));
    String base = "http://127.0.0.1:" + port;
    return new SpillwayProcesses.Started(p, base, Loopback.awaitOk(base + "/", p, START_TIMEOUT));
  }

  /** Headers that make Portkey forward an OpenAI chat request to {@code upstreamBaseUrl}/v1. */
  static Map<String, String> portkeyHeaders(String upstreamBaseUrl) {
    return Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstreamBaseUrl + "/v1");
  }
}
