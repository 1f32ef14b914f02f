import { describe, expect, it } from "vitest";
import { ApiKey, type RequestInputOf, type ResponseOf } from "../../../lib/broker/protocol";
import { configFromArgs } from "../../../lib/broker/server/cli";
import { RawClient } from "./raw-client";
import { startTestBroker } from "./test-broker";

/** One request at `version` on a fresh connection to a broker started with `settings`. */
async function ask<K extends ApiKey>(
  settings: { rack?: string },
  key: K,
  version: number,
  body: RequestInputOf<K>,
): Promise<ResponseOf<K>> {
  const tb = await startTestBroker(settings);
  const client = await RawClient.connect(tb.port);
  try {
    return await client.call(key, version, body);
  } finally {
    client.close();
    await tb.destroy();
  }
}

const metadata = {
  topics: null,
  allowAutoTopicCreation: false,
  includeTopicAuthorizedOperations: false,
};

describe("broker.rack", () => {
  it("is returned in Metadata (v1+) and DescribeCluster when set (on AWS: the zone ID)", async () => {
    const md = await ask({ rack: "euw1-az2" }, ApiKey.Metadata, 12, metadata);
    expect(md.brokers[0]?.rack).toBe("euw1-az2");
    const dc = await ask({ rack: "euw1-az2" }, ApiKey.DescribeCluster, 0, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    expect(dc.brokers[0]?.rack).toBe("euw1-az2");
  });

  it("is null when not set", async () => {
    const md = await ask({}, ApiKey.Metadata, 12, metadata);
    expect(md.brokers[0]?.rack).toBeNull();
  });

  it("comes from --rack on the command line", async () => {
    const config = await configFromArgs(["--data-dir", "/tmp/x", "--rack", "use1-az4"]);
    expect(config.config?.rack).toBe("use1-az4");
  });
});
