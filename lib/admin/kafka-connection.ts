import * as net from "node:net";
import * as tls from "node:tls";
import {
  ApiKey,
  decodeResponseFrame,
  encodeRequest,
  type RequestInputOf,
  type ResponseOf,
} from "../broker/protocol";
import { KafkaConnectionError, KafkaTimeoutError } from "./admin-errors";

/** TLS settings for a connection. */
export interface TlsOptions {
  /** PEM CA certificate(s) to trust instead of the system store. */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key (mutual TLS). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Server name for SNI and certificate checks. @default the host */
  readonly servername?: string;
  /** Skip certificate verification (testing only). @default false */
  readonly insecure?: boolean;
}

/** How to open a {@link KafkaConnection}. */
export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Use TLS. */
  readonly tls?: TlsOptions;
  /** Connect timeout and per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Client id in every request header. @default "sluice" */
  readonly clientId?: string;
  /** Largest response accepted. @default 100 MiB */
  readonly maxResponseBytes?: number;
}

interface Pending {
  readonly correlationId: number;
  readonly apiKey: ApiKey;
  readonly version: number;
  readonly resolve: (frame: Buffer) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One TCP (or TLS) connection to a Kafka broker: frames requests with correlation ids, pipelines
 * any number of them, and matches responses, which Kafka returns in request order.
 * A timeout or a framing problem closes the connection and fails every pending request.
 */
export class KafkaConnection {
  private readonly socket: net.Socket;
  private readonly pending: Pending[] = [];
  private readonly timeoutMs: number;
  private readonly clientId: string;
  private readonly maxResponseBytes: number;
  private readonly label: string;
  private nextCorrelationId = 1;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private closedError: Error | undefined;

  private constructor(socket: net.Socket, options: ConnectionOptions) {
    this.socket = socket;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.clientId = options.clientId ?? "sluice";
    this.maxResponseBytes = options.maxResponseBytes ?? 100 * 1024 * 1024;
    this.label = `${options.host}:${options.port}`;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) =>
      this.fail(new KafkaConnectionError(`${this.label}: ${e.message}`, { cause: e })),
    );
    socket.on("close", () =>
      this.fail(new KafkaConnectionError(`${this.label}: connection closed`)),
    );
  }

  /** Opens a connection; rejects with {@link KafkaConnectionError} or {@link KafkaTimeoutError}. */
  static connect(options: ConnectionOptions): Promise<KafkaConnection> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const label = `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      let socket: net.Socket;
      const onError = (e: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new KafkaConnectionError(`cannot connect to ${label}: ${e.message}`, { cause: e }));
      };
      const onReady = (): void => {
        clearTimeout(timer);
        socket.off("error", onError);
        socket.setNoDelay(true);
        resolve(new KafkaConnection(socket, options));
      };
      if (options.tls) {
        const t = options.tls;
        const tlsOptions: tls.ConnectionOptions = {
          host: options.host,
          port: options.port,
          servername: t.servername ?? (net.isIP(options.host) ? undefined : options.host),
          rejectUnauthorized: !t.insecure,
        };
        if (t.ca !== undefined) tlsOptions.ca = t.ca;
        if (t.cert !== undefined) tlsOptions.cert = t.cert;
        if (t.key !== undefined) tlsOptions.key = t.key;
        socket = tls.connect(tlsOptions, onReady);
      } else {
        socket = net.connect({ host: options.host, port: options.port }, onReady);
      }
      socket.once("error", onError);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new KafkaTimeoutError(`cannot connect to ${label}: no answer within ${timeoutMs} ms`),
        );
      }, timeoutMs);
    });
  }

  /** Whether the connection is still usable. */
  get isOpen(): boolean {
    return this.closedError === undefined;
  }

  /**
   * Sends one request and resolves with its decoded response body. Requests may be pipelined:
   * call again before the previous one resolved.
   */
  async send<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: RequestInputOf<K>,
  ): Promise<ResponseOf<K>> {
    const frame = await this.sendRaw(apiKey, version, body);
    try {
      return decodeResponseFrame(apiKey, version, frame).body;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const err = new KafkaConnectionError(
        `${this.label}: cannot decode ${ApiKey[apiKey]} v${version} response: ${reason}`,
        { cause: e },
      );
      this.fail(err);
      throw err;
    }
  }

  /**
   * Sends one request and resolves with the raw response frame (header included, size prefix
   * excluded), for callers that must inspect it before choosing how to decode (ApiVersions).
   */
  sendRaw<K extends ApiKey>(apiKey: K, version: number, body: RequestInputOf<K>): Promise<Buffer> {
    if (this.closedError) {
      return Promise.reject(
        new KafkaConnectionError(
          `${this.label}: connection is closed (${this.closedError.message})`,
        ),
      );
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    const frame = encodeRequest(apiKey, version, correlationId, this.clientId, body);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new KafkaTimeoutError(
            `${this.label}: no ${ApiKey[apiKey]} response within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      this.pending.push({ correlationId, apiKey, version, resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  /** Closes the connection; pending requests fail. */
  close(): void {
    this.fail(new KafkaConnectionError(`${this.label}: connection closed by the client`));
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    while (this.bufferedBytes >= 4) {
      const size = this.peekSize();
      if (size < 4 || size > this.maxResponseBytes) {
        this.fail(new KafkaConnectionError(`${this.label}: invalid response size ${size}`));
        return;
      }
      // Join the chunks only once the whole frame is here (no quadratic copying of big responses).
      if (this.bufferedBytes < 4 + size) return;
      const head =
        this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
      const frame = head.subarray(4, 4 + size);
      const rest = head.subarray(4 + size);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
      this.onFrame(frame);
      if (this.closedError) return;
    }
  }

  /** The int32 size prefix at the start of the buffered bytes (which may span chunks). */
  private peekSize(): number {
    const first = this.buffered[0];
    if (first !== undefined && first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.buffered);
    this.buffered = [head];
    return head.readInt32BE(0);
  }

  private onFrame(frame: Buffer): void {
    const p = this.pending.shift();
    const correlationId = frame.readInt32BE(0);
    if (p === undefined || p.correlationId !== correlationId) {
      this.fail(
        new KafkaConnectionError(
          `${this.label}: unexpected response with correlation id ${correlationId}${p ? ` (expected ${p.correlationId})` : ""}`,
        ),
      );
      if (p) p.reject(this.closedError ?? new KafkaConnectionError("connection failed"));
      return;
    }
    clearTimeout(p.timer);
    p.resolve(frame);
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    this.socket.destroy();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}
