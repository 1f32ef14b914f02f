import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { HostPort } from "./config";

/** What the admin endpoints report. */
export interface AdminSource {
  /** True once the broker serves requests and until shutdown begins. */
  isReady(): boolean;
  /** Prometheus text exposition. */
  metricsText(): string;
}

/**
 * The admin HTTP listener: `/healthz` (process alive), `/readyz` (serving Kafka requests; 503 while
 * starting or shutting down) and `/metrics` (Prometheus text format).
 */
export class AdminServer {
  private constructor(private readonly server: http.Server) {}

  /** Binds the listener; resolves once it accepts connections. */
  static start(at: HostPort, source: AdminSource): Promise<AdminServer> {
    const server = http.createServer((req, res) => {
      const url = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      if (url === "/healthz") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      } else if (url === "/readyz") {
        const ready = source.isReady();
        res
          .writeHead(ready ? 200 : 503, { "content-type": "text/plain" })
          .end(ready ? "ready\n" : "not ready\n");
      } else if (url === "/metrics") {
        res
          .writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
          .end(source.metricsText());
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(at.port, at.host === "" ? undefined : at.host, () => {
        server.off("error", reject);
        resolve(new AdminServer(server));
      });
    });
  }

  /** The bound address (port resolved when 0 was asked for). */
  address(): HostPort {
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** Stops listening and closes idle keep-alive connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
