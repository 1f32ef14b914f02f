import * as net from "node:net";
import {
  type ApiKey,
  decodeResponseFrame,
  encodeRequest,
  type RequestInputOf,
  type ResponseOf,
} from "../../../lib/broker/protocol";

/** A bare TCP client that reads size-prefixed frames (tests of framing and ordering). */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  private correlation = 0;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        this.frames.push(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => resolve(new RawClient(s)));
      s.once("error", reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(data: Buffer): void {
    this.socket.write(data);
  }

  /** Sends one request at `version` and decodes its response (one request in flight). */
  async call<K extends ApiKey>(
    key: K,
    version: number,
    body: RequestInputOf<K>,
  ): Promise<ResponseOf<K>> {
    const id = ++this.correlation;
    this.send(encodeRequest(key, version, id, "raw-client", body));
    const res = decodeResponseFrame(key, version, await this.nextFrame());
    if (res.correlationId !== id) {
      throw new Error(`response ${res.correlationId} to request ${id}`);
    }
    return res.body;
  }

  /** The next response frame (without size prefix); rejects if the connection closes first. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.closed) throw new Error("connection closed");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a frame");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves true when the broker closes the connection within the timeout. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
