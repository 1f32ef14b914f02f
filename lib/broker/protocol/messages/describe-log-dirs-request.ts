import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeLogDirsRequest (API key 35), versions 1-5; derived from Kafka's message definition. */
export const DescribeLogDirsRequestSchema = message({
  name: "DescribeLogDirsRequest",
  apiKey: 35,
  kind: "request",
  versions: "1-5",
  flexible: "2+",
  fields: {
    /** Null: every topic. */
    topics: f.array(
      {
        topic: f.string(),
        partitions: f.arrayOf("int32"),
      },
      { nullable: "0+" },
    ),
  },
});

/** A decoded DescribeLogDirsRequest: every field present, defaults filled in. */
export type DescribeLogDirsRequest = Decoded<typeof DescribeLogDirsRequestSchema>;
/** A DescribeLogDirsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeLogDirsRequestInput = Encodable<typeof DescribeLogDirsRequestSchema>;
