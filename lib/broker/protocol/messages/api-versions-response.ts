import { type Decoded, type Encodable, f, message } from "../schema";

/** ApiVersionsResponse (API key 18), versions 0-4; derived from Kafka's message definition. */
export const ApiVersionsResponseSchema = message({
  name: "ApiVersionsResponse",
  apiKey: 18,
  kind: "response",
  versions: "0-4",
  flexible: "3+",
  fields: {
    errorCode: f.int16(),
    apiKeys: f.array({
      apiKey: f.int16(),
      minVersion: f.int16(),
      maxVersion: f.int16(),
    }),
    throttleTimeMs: f.int32({ v: "1+" }),
    supportedFeatures: f.array(
      {
        name: f.string(),
        minVersion: f.int16(),
        maxVersion: f.int16(),
      },
      { v: "3+", tag: 0 },
    ),
    finalizedFeaturesEpoch: f.int64({ v: "3+", tag: 1, default: -1n }),
    finalizedFeatures: f.array(
      {
        name: f.string(),
        maxVersionLevel: f.int16(),
        minVersionLevel: f.int16(),
      },
      { v: "3+", tag: 2 },
    ),
    zkMigrationReady: f.bool({ v: "3+", tag: 3, default: false }),
  },
});

/** A decoded ApiVersionsResponse: every field present, defaults filled in. */
export type ApiVersionsResponse = Decoded<typeof ApiVersionsResponseSchema>;
/** A ApiVersionsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ApiVersionsResponseInput = Encodable<typeof ApiVersionsResponseSchema>;
