import {
  type ApiKey,
  decodeResponseFrame,
  encodeRequest,
  ApiKey as K,
  type RequestInputOf,
  type ResponseOf,
} from "../../../lib/broker/protocol";
import { RawClient } from "../server/raw-client";

/** A one-request-at-a-time Kafka client over SASL/PLAIN, for exact error codes in tests. */
export class SaslWireClient {
  private nextId = 1;
  private constructor(private readonly raw: RawClient) {}

  /** Connects and authenticates with SASL/PLAIN (SaslHandshake v1 + SaslAuthenticate v2). */
  static async login(port: number, user: string, password: string): Promise<SaslWireClient> {
    const c = new SaslWireClient(await RawClient.connect(port));
    const hs = await c.call(K.SaslHandshake, 1, { mechanism: "PLAIN" });
    if (hs.errorCode !== 0) throw new Error(`handshake failed: ${hs.errorCode}`);
    const auth = await c.call(K.SaslAuthenticate, 2, {
      authBytes: Buffer.from(`\u0000${user}\u0000${password}`),
    });
    if (auth.errorCode !== 0) throw new Error(`authentication failed: ${auth.errorMessage}`);
    return c;
  }

  /** Sends one request and decodes its response. */
  async call<A extends ApiKey>(
    apiKey: A,
    version: number,
    body: RequestInputOf<A>,
  ): Promise<ResponseOf<A>> {
    const id = this.nextId++;
    this.raw.send(encodeRequest(apiKey, version, id, "matrix", body));
    const frame = await this.raw.nextFrame();
    const res = decodeResponseFrame(apiKey, version, frame);
    if (res.correlationId !== id) throw new Error(`correlation ${res.correlationId} != ${id}`);
    return res.body;
  }

  close(): void {
    this.raw.socket.destroy();
  }
}
