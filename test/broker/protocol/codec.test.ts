import { describe, expect, it } from "vitest";
import {
  ApiKey,
  compileMessage,
  decodeRequest,
  encodeRequest,
  MESSAGE_SCHEMAS,
  ProtocolError,
  Reader,
  readRequestHeader,
  Writer,
} from "../../../lib/broker/protocol";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("decoders reject hostile input with ProtocolError", () => {
  it("refuses an array count larger than the bytes left, before looping", () => {
    const w = new Writer();
    w.string(null); // transactionalId
    w.int16(1);
    w.int32(1000);
    w.int32(0x7fffffff); // topicData count
    const err = thrown(() => decodeRequest(ApiKey.Produce, 3, w.finishOne()));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(/cannot fit/);
  });

  it("refuses a records length larger than the bytes left", () => {
    const w = new Writer();
    w.string(null);
    w.int16(1);
    w.int32(1000);
    w.int32(1);
    w.string("t");
    w.int32(1);
    w.int32(0);
    w.int32(0x7ffffff0); // records length
    expect(() => decodeRequest(ApiKey.Produce, 3, w.finishOne())).toThrow(ProtocolError);
  });

  it("refuses null where the version does not allow it", () => {
    const w = new Writer();
    w.int16(-1); // SaslHandshake mechanism: non-nullable string
    expect(() => decodeRequest(ApiKey.SaslHandshake, 1, w.finishOne())).toThrow(/null/);
  });

  it("gives UNSUPPORTED_VERSION (35) for versions outside the schema", () => {
    const err = thrown(() => compileMessage(MESSAGE_SCHEMAS[ApiKey.Produce].request, 12));
    expect((err as ProtocolError).errorCode).toBe(35);
  });
});

describe("encoders", () => {
  it("concatenate a list of record buffers into one records field", () => {
    const frame = encodeRequest(ApiKey.Produce, 8, 1, null, {
      acks: 1,
      timeoutMs: 100,
      topicData: [
        {
          name: "t",
          partitionData: [{ index: 0, records: [Buffer.from("ab"), Buffer.from("cd")] }],
        },
      ],
    }).subarray(4);
    const h = readRequestHeader(frame);
    const req = decodeRequest(ApiKey.Produce, 8, frame, h.bodyOffset);
    expect(req.topicData[0]?.partitionData[0]?.records?.toString()).toBe("abcd");
  });

  it("report the field path of a value that cannot be encoded", () => {
    const err = thrown(() =>
      encodeRequest(ApiKey.Produce, 8, 1, null, {
        acks: 1,
        timeoutMs: 1.5,
        topicData: [],
      }),
    );
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(/timeoutMs/);
  });

  it("refuse null for a field that is not nullable in the version", () => {
    expect(() => encodeRequest(ApiKey.Metadata, 0, 1, null, { topics: null })).toThrow(
      ProtocolError,
    );
    expect(() => encodeRequest(ApiKey.Metadata, 1, 1, null, { topics: null })).not.toThrow();
  });

  it("ignore fields that do not exist in the version being encoded", () => {
    const v0 = encodeRequest(ApiKey.Metadata, 0, 1, null, {
      topics: [],
      allowAutoTopicCreation: false,
    });
    const v0bare = encodeRequest(ApiKey.Metadata, 0, 1, null, { topics: [] });
    expect(v0).toEqual(v0bare);
  });

  it("decode records as views of the frame (zero copy) and bytes as copies", () => {
    const frame = encodeRequest(ApiKey.Produce, 3, 1, null, {
      acks: 1,
      timeoutMs: 100,
      topicData: [{ name: "t", partitionData: [{ index: 0, records: Buffer.from("xyz") }] }],
    }).subarray(4);
    const h = readRequestHeader(frame);
    const records = decodeRequest(ApiKey.Produce, 3, frame, h.bodyOffset).topicData[0]
      ?.partitionData[0]?.records;
    frame.fill(0x41, frame.length - 3); // the records bytes are the last 3 of the frame
    expect(records?.toString()).toBe("AAA");
    const body = Buffer.from([0, 0, 0, 2, 0x6f, 0x6b]); // authBytes "ok"
    const decoded = compileMessage(MESSAGE_SCHEMAS[ApiKey.SaslAuthenticate].request, 0).decode(
      new Reader(body),
    );
    body.fill(0);
    expect((decoded["authBytes"] as Buffer).toString()).toBe("ok");
  });
});
