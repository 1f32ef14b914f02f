/**
 * A minimal Kafka client for the quota benchmark: one TCP connection, SASL/SCRAM login, requests
 * answered in order. Frames are reassembled with one copy each (1 MiB fetch responses would
 * otherwise cost the client more CPU than the broker on a 2-core machine).
 */
import * as net from "node:net";
import { ScramClient } from "../../lib/admin/scram";
import {
  type ApiKey,
  decodeResponseFrame,
  encodeRequest,
  ApiKey as K,
  type RequestInputOf,
  type ResponseOf,
} from "../../lib/broker/protocol";

/** The broker refused a request or closed the connection. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

interface Waiter {
  resolve(frame: Buffer): void;
  reject(e: Error): void;
}

/** One authenticated connection. */
export class WireClient {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly waiters: Waiter[] = [];
  private nextId = 1;
  private closedError: WireError | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (d: Buffer) => this.onData(d));
    socket.on("error", (e) => this.fail(new WireError(e.message)));
    socket.on("close", () => this.fail(new WireError("connection closed")));
  }

  /** Connects to 127.0.0.1:`port` and logs in with SCRAM-SHA-512. */
  static async login(
    port: number,
    user: string,
    password: string,
    clientId = user,
  ): Promise<WireClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => resolve(s));
      s.once("error", reject);
    });
    const c = new WireClient(socket, clientId);
    const hs = await c.call(K.SaslHandshake, 1, { mechanism: "SCRAM-SHA-512" });
    if (hs.errorCode !== 0) throw new WireError(`SaslHandshake failed: error ${hs.errorCode}`);
    const scram = new ScramClient("SCRAM-SHA-512", user, password);
    const first = await c.call(K.SaslAuthenticate, 2, { authBytes: scram.first() });
    if (first.errorCode !== 0) throw new WireError(`SCRAM failed: ${first.errorMessage}`);
    const final = await c.call(K.SaslAuthenticate, 2, { authBytes: scram.final(first.authBytes) });
    if (final.errorCode !== 0) throw new WireError(`SCRAM failed: ${final.errorMessage}`);
    scram.verify(final.authBytes);
    return c;
  }

  /** Sends one request and resolves with its decoded response. */
  async call<A extends ApiKey>(
    apiKey: A,
    version: number,
    body: RequestInputOf<A>,
  ): Promise<ResponseOf<A>> {
    if (this.closedError !== null) throw this.closedError;
    const id = this.nextId++;
    const frame = new Promise<Buffer>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.socket.write(encodeRequest(apiKey, version, id, this.clientId, body));
    const res = decodeResponseFrame(apiKey, version, await frame);
    if (res.correlationId !== id) throw new WireError(`correlation ${res.correlationId} != ${id}`);
    return res.body;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    for (;;) {
      if (this.buffered < 4) return;
      const head = this.chunks[0];
      const size =
        head !== undefined && head.length >= 4
          ? head.readInt32BE(0)
          : Buffer.concat(this.chunks, 4).readInt32BE(0);
      if (this.buffered < 4 + size) return;
      const all =
        this.chunks.length === 1 && head !== undefined ? head : Buffer.concat(this.chunks);
      const frame = all.subarray(4, 4 + size);
      const rest = all.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.waiters.shift()?.resolve(frame);
    }
  }

  private fail(e: WireError): void {
    if (this.closedError !== null) return;
    this.closedError = e;
    for (const w of this.waiters.splice(0)) w.reject(e);
  }
}
