import { describe, expect, it } from "vitest";
import { ApiKey, decodeResponseFrame, encodeRequest } from "../../../lib/broker/protocol";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import type { RequestContext } from "../../../lib/broker/server/handler";
import { memoryLogger } from "../../../lib/broker/server/logger";
import { RawClient } from "./raw-client";
import { tempDir } from "./test-broker";

function apiVersions(id: number) {
  return encodeRequest(ApiKey.ApiVersions, 3, id, "t", {
    clientSoftwareName: "t",
    clientSoftwareVersion: "1",
  });
}

function metadata(id: number) {
  return encodeRequest(ApiKey.Metadata, 12, id, "t", {
    topics: null,
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
}

describe("server extension hooks", () => {
  it("sets the principal, refuses requests it does not admit, and closes after a response", async () => {
    const seen: RequestContext[] = [];
    const closed: number[] = [];
    const broker = await Broker.start({
      config: resolveConfig({}, { dataDir: tempDir(), listeners: "PLAINTEXT://127.0.0.1:0" }),
      logger: memoryLogger(),
      extension: {
        principalOf: (id) => `User:conn-${id}`,
        admit: (ctx) => {
          seen.push(ctx);
          return ctx.apiKey === ApiKey.Metadata && ctx.correlationId === 13 ? "not allowed" : null;
        },
        closeAfterResponse: (ctx) => ctx.correlationId === 99,
        connectionClosed: (id) => closed.push(id),
      },
    });
    const port = broker.advertised()[0]?.port ?? 0;
    try {
      const a = await RawClient.connect(port);
      a.send(metadata(1));
      expect(decodeResponseFrame(ApiKey.Metadata, 12, await a.nextFrame()).correlationId).toBe(1);
      expect(seen[0]?.principal).toMatch(/^User:conn-\d+$/);
      a.send(metadata(13));
      expect(await a.waitClosed()).toBe(true);

      const b = await RawClient.connect(port);
      // The response to 99 is still sent, then the connection closes.
      b.send(apiVersions(99));
      expect(decodeResponseFrame(ApiKey.ApiVersions, 3, await b.nextFrame()).correlationId).toBe(
        99,
      );
      expect(await b.waitClosed()).toBe(true);
      for (let i = 0; i < 100 && closed.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(closed).toHaveLength(2);
    } finally {
      await broker.stop();
    }
  });
});
