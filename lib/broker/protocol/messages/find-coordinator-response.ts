import { type Decoded, type Encodable, f, message } from "../schema";

/** FindCoordinatorResponse (API key 10), versions 0-6; derived from Kafka's message definition. */
export const FindCoordinatorResponseSchema = message({
  name: "FindCoordinatorResponse",
  apiKey: 10,
  kind: "response",
  versions: "0-6",
  flexible: "3+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    errorCode: f.int16({ v: "0-3" }),
    errorMessage: f.string({ v: "1-3", nullable: "1-3" }),
    nodeId: f.int32({ v: "0-3" }),
    host: f.string({ v: "0-3" }),
    port: f.int32({ v: "0-3" }),
    coordinators: f.array(
      {
        key: f.string(),
        nodeId: f.int32(),
        host: f.string(),
        port: f.int32(),
        errorCode: f.int16(),
        errorMessage: f.string({ nullable: "4+" }),
      },
      { v: "4+" },
    ),
  },
});

/** A decoded FindCoordinatorResponse: every field present, defaults filled in. */
export type FindCoordinatorResponse = Decoded<typeof FindCoordinatorResponseSchema>;
/** A FindCoordinatorResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type FindCoordinatorResponseInput = Encodable<typeof FindCoordinatorResponseSchema>;
