import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ApiKey,
  concatChunks,
  decodeRequest,
  decodeResponseFrame,
  ErrorCode,
  encodeApiVersionsFallback,
  encodeRequest,
  encodeResponse,
  type FetchResponseInput,
  type ProduceRequest,
  ProtocolError,
  type RequestOf,
  readRequestHeader,
  SUPPORTED_APIS,
} from "../../../lib/broker/protocol";

/** Strips the 4-byte size prefix after checking it. */
function unframe(frame: Buffer): Buffer {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  return frame.subarray(4);
}

describe("request frames", () => {
  it("decodes a Produce v9 request written by encodeRequest, header v2 included", () => {
    const records = Buffer.from("not parsed by the codec");
    const frame = encodeRequest(ApiKey.Produce, 9, 42, "client-a", {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: "t", partitionData: [{ index: 0, records }] }],
    });
    const body = unframe(frame);
    const header = readRequestHeader(body);
    expect(header).toMatchObject({ apiKey: 0, apiVersion: 9, correlationId: 42 });
    expect(header.clientId).toBe("client-a");
    const req = decodeRequest(ApiKey.Produce, 9, body, header.bodyOffset);
    expect(req.acks).toBe(-1);
    expect(req.topicData[0]?.partitionData[0]?.records?.equals(records)).toBe(true);
  });

  it("keeps the client id a classic (int16) string in header v2", () => {
    const frame = encodeRequest(ApiKey.Metadata, 12, 1, "abc", { topics: null });
    // size(4) apiKey(2) apiVersion(2) correlationId(4) then int16 length 3
    expect(frame.readInt16BE(12)).toBe(3);
    expect(frame.toString("utf8", 14, 17)).toBe("abc");
    expect(frame[17]).toBe(0); // empty tagged fields of header v2
  });

  it("reads a null client id", () => {
    const frame = encodeRequest(ApiKey.ApiVersions, 0, 7, null, {});
    expect(readRequestHeader(unframe(frame)).clientId).toBeNull();
  });

  it("derives the decoded type from the schema", () => {
    expectTypeOf<RequestOf<ApiKey.Produce>>().toEqualTypeOf<ProduceRequest>();
    expectTypeOf<ProduceRequest["acks"]>().toEqualTypeOf<number>();
    expectTypeOf<ProduceRequest["transactionalId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<
      ProduceRequest["topicData"][number]["partitionData"][number]["records"]
    >().toEqualTypeOf<Buffer | null>();
  });
});

describe("response frames", () => {
  it("passes large Fetch records through as their own chunks, without copying", () => {
    const a = Buffer.alloc(4096, 1);
    const b = Buffer.alloc(2048, 2);
    const body: FetchResponseInput = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: "t",
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 10n,
              lastStableOffset: 10n,
              abortedTransactions: null,
              records: [a, b],
            },
          ],
        },
      ],
    };
    const chunks = encodeResponse(ApiKey.Fetch, 12, 5, body);
    expect(chunks).toContain(a);
    expect(chunks).toContain(b);
    const frame = concatChunks(chunks);
    const { correlationId, body: decoded } = decodeResponseFrame(ApiKey.Fetch, 12, unframe(frame));
    expect(correlationId).toBe(5);
    expect(decoded.responses[0]?.partitions[0]?.records?.equals(Buffer.concat([a, b]))).toBe(true);
  });

  it("uses response header v1 (tagged fields) for flexible versions", () => {
    const frame = concatChunks(encodeResponse(ApiKey.Metadata, 9, 3, { brokers: [], topics: [] }));
    expect(frame.readInt32BE(4)).toBe(3);
    expect(frame[8]).toBe(0); // header tagged fields
  });

  it("always uses response header v0 for ApiVersions, even v3+", () => {
    const frame = concatChunks(
      encodeResponse(ApiKey.ApiVersions, 3, 9, { errorCode: 0, apiKeys: [] }),
    );
    // size, correlationId, then errorCode int16 directly (no header tagged fields)
    expect(frame.readInt32BE(4)).toBe(9);
    expect(frame.readInt16BE(8)).toBe(0);
    expect(frame.length).toBe(4 + 4 + 2 + 1 + 4 + 1);
  });

  it("answers an unsupported ApiVersions version with v0, UNSUPPORTED_VERSION and the full list", () => {
    const frame = concatChunks(encodeApiVersionsFallback(77));
    const { correlationId, body } = decodeResponseFrame(ApiKey.ApiVersions, 0, unframe(frame));
    expect(correlationId).toBe(77);
    expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(body.apiKeys).toContainEqual({ apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 12 });
    expect(body.apiKeys).toHaveLength(Object.keys(SUPPORTED_APIS).length);
  });
});

describe("errors", () => {
  it("rejects an unsupported version with ProtocolError code 35", () => {
    const err = (() => {
      try {
        decodeRequest(ApiKey.Fetch, 13, Buffer.alloc(100), 0);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).errorCode).toBe(35);
  });

  it("rejects an unknown API key", () => {
    expect(() => decodeRequest(999 as ApiKey, 0, Buffer.alloc(10))).toThrow(ProtocolError);
  });

  it("reports truncation as ProtocolError", () => {
    expect(() => readRequestHeader(Buffer.from([0, 1, 0]))).toThrow(ProtocolError);
  });

  it("wraps bad values at encode time into ProtocolError", () => {
    expect(() => encodeResponse(ApiKey.Heartbeat, 0, 1, { errorCode: 70000 as number })).toThrow(
      ProtocolError,
    );
  });
});
