import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeLogDirsResponse (API key 35), versions 1-5; derived from Kafka's message definition. */
export const DescribeLogDirsResponseSchema = message({
  name: "DescribeLogDirsResponse",
  apiKey: 35,
  kind: "response",
  versions: "1-5",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16({ v: "3+", default: 0 }),
    results: f.array({
      errorCode: f.int16(),
      logDir: f.string(),
      topics: f.array({
        name: f.string(),
        partitions: f.array({
          partitionIndex: f.int32(),
          partitionSize: f.int64(),
          offsetLag: f.int64(),
          isFutureKey: f.bool(),
        }),
      }),
      totalBytes: f.int64({ v: "4+", default: -1n }),
      usableBytes: f.int64({ v: "4+", default: -1n }),
      isCordoned: f.bool({ v: "5+", default: false }),
    }),
  },
});

/** A decoded DescribeLogDirsResponse: every field present, defaults filled in. */
export type DescribeLogDirsResponse = Decoded<typeof DescribeLogDirsResponseSchema>;
/** A DescribeLogDirsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeLogDirsResponseInput = Encodable<typeof DescribeLogDirsResponseSchema>;
