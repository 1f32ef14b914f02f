import { type Decoded, type Encodable, f, message } from "../schema";

/** FindCoordinatorRequest (API key 10), versions 0-6; derived from Kafka's message definition. */
export const FindCoordinatorRequestSchema = message({
  name: "FindCoordinatorRequest",
  apiKey: 10,
  kind: "request",
  versions: "0-6",
  flexible: "3+",
  fields: {
    key: f.string({ v: "0-3" }),
    keyType: f.int8({ v: "1+", default: 0 }),
    coordinatorKeys: f.arrayOf("string", { v: "4+" }),
  },
});

/** A decoded FindCoordinatorRequest: every field present, defaults filled in. */
export type FindCoordinatorRequest = Decoded<typeof FindCoordinatorRequestSchema>;
/** A FindCoordinatorRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type FindCoordinatorRequestInput = Encodable<typeof FindCoordinatorRequestSchema>;
