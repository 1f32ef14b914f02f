import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KafkaConnection, KafkaConnectionError } from "../../lib/admin";
import { ApiKey, encodeResponse, readRequestHeader } from "../../lib/broker/protocol";

/** How the raw server answers: the response frames of one batch of requests → bytes to write. */
type Writer = (socket: net.Socket, responses: Buffer[]) => void;

let server: net.Server | undefined;

async function rawServer(batch: number, write: Writer): Promise<number> {
  server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let pending: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const frame = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + frame.length);
        const h = readRequestHeader(frame);
        pending.push(
          Buffer.concat(
            encodeResponse(ApiKey.ApiVersions, h.apiVersion, h.correlationId, {
              errorCode: 0,
              apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: h.correlationId }],
            }),
          ),
        );
        if (pending.length === batch) {
          write(socket, pending);
          pending = [];
        }
      }
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const addr = server.address();
  return typeof addr === "object" && addr !== null ? addr.port : 0;
}

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const ask = (c: KafkaConnection) => c.send(ApiKey.ApiVersions, 0, {});

describe("KafkaConnection framing", () => {
  it("reassembles a response that arrives one byte at a time", async () => {
    const port = await rawServer(1, (socket, [frame]) => {
      for (const byte of frame ?? []) socket.write(Buffer.from([byte]));
    });
    const c = await KafkaConnection.connect({ host: "127.0.0.1", port });
    expect((await ask(c)).apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 1 }]);
    c.close();
  });

  it("splits several pipelined responses that arrive in one chunk", async () => {
    const port = await rawServer(3, (socket, frames) => socket.write(Buffer.concat(frames)));
    const c = await KafkaConnection.connect({ host: "127.0.0.1", port });
    const answers = await Promise.all([ask(c), ask(c), ask(c)]);
    expect(answers.map((a) => a.apiKeys[0]?.maxVersion)).toEqual([1, 2, 3]);
    c.close();
  });

  it("fails on an impossible frame size", async () => {
    const port = await rawServer(1, (socket) =>
      socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff])),
    );
    const c = await KafkaConnection.connect({ host: "127.0.0.1", port });
    await expect(ask(c)).rejects.toThrow(/invalid response size -1/);
    expect(c.isOpen).toBe(false);
  });

  it("fails pending requests when the server closes the connection", async () => {
    const port = await rawServer(1, (socket) => socket.destroy());
    const c = await KafkaConnection.connect({ host: "127.0.0.1", port });
    const err = await ask(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect((err as Error).message).toMatch(/connection closed/);
  });
});
