import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { LocalStack, localStackPropsFromEnv } from "../../apps/local/local-stack";
import { manifestSchema } from "../../lib/manifest/schema";

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempLock(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-app-"));
  tempDirs.push(dir);
  return path.join(dir, "sluice.lock.json");
}

/** Replaces content hashes (which follow the broker's code) with placeholders. */
function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{64}/g, "<sha256>")
    .replace(/(assets\/[A-Za-z0-9_-]+\/)[0-9A-F]{32}/g, "$1<asset-hash>");
}

describe("apps/local", () => {
  it("synthesizes the default app (snapshot; content hashes normalized)", async () => {
    const stack = new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() });
    const text = Testing.synth(stack, true);
    await expect(normalize(text)).toMatchFileSnapshot("golden/sluice-local.cdk.tf.json");
  });

  it("synthesizes deterministically: two synths give the same JSON and image hash", () => {
    const a = Testing.synth(
      new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() }),
      true,
    );
    const b = Testing.synth(
      new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() }),
      true,
    );
    expect(b).toBe(a);
    expect(a).toMatch(/"name": "sluice-broker:[0-9a-f]{64}"/);
  });

  it("builds the broker image from the synth-time asset, tagged and triggered by its content hash", () => {
    const stack = new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() });
    const json = JSON.parse(Testing.synth(stack, true));
    const image = Object.values(json.resource.docker_image)[0] as {
      name: string;
      triggers: { content_sha256: string };
      build: { context: string; build_args: Record<string, string>; tag: string[] };
    };
    const hash = image.triggers.content_sha256;
    expect(image.name).toBe(`sluice-broker:${hash}`);
    expect(image.build.tag).toEqual([`sluice-broker:${hash}`]);
    expect(image.build.context).toMatch(/^assets\//);
    expect(image.build.build_args).toEqual({ BASE_IMAGE: "node:22-bookworm-slim" });
  });

  it("has one broker, two example topics and two tenants, with a valid manifest", () => {
    const stack = new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() });
    const manifest = manifestSchema.parse(stack.cluster.toManifest());
    expect(stack.cluster.brokerCount).toBe(1);
    expect(manifest.topics.map((t) => `${t.name}:${t.partitions}`)).toEqual([
      "billing.payments:2",
      "orders:3",
    ]);
    expect(manifest.tenants.map((t) => t.name)).toEqual(["analytics", "billing"]);
  });

  it("reads its settings from the environment", () => {
    expect(
      localStackPropsFromEnv({
        SLUICE_BASE_IMAGE: "local/node-base:test",
        SLUICE_HOST_PORT: "19092",
        SLUICE_ORDERS_PARTITIONS: "6",
      }),
    ).toEqual({
      baseImage: "local/node-base:test",
      hostPort: 19092,
      ordersPartitions: 6,
      lockFile: "sluice.lock.json",
      dockerHost: undefined,
      tenants: undefined,
      extraTenant: undefined,
    });
    expect(localStackPropsFromEnv({ SLUICE_LOCAL_EXTRA_TENANT: "audit" }).extraTenant).toBe(
      "audit",
    );
    expect(localStackPropsFromEnv({ SLUICE_LOCAL_TENANTS: "false" }).tenants).toBe(false);
    expect(() => localStackPropsFromEnv({ SLUICE_HOST_PORT: "x" })).toThrow(
      "SLUICE_HOST_PORT=x is not an integer",
    );
  });

  it("adds one more tenant with SLUICE_LOCAL_EXTRA_TENANT, without touching the broker", () => {
    const base = new LocalStack(Testing.app(), "sluice-local", { lockFile: tempLock() });
    const more = new LocalStack(Testing.app(), "sluice-local", {
      lockFile: tempLock(),
      extraTenant: "audit",
    });
    const manifest = manifestSchema.parse(more.cluster.toManifest());
    expect(manifest.tenants.map((t) => t.name)).toEqual(["analytics", "audit", "billing"]);
    expect(manifest.topics.map((t) => t.name)).toContain("audit.events");
    const brokerOf = (stack: LocalStack) => {
      const json = JSON.parse(Testing.synth(stack, true));
      return Object.values(json.resource.docker_container).find((c) =>
        String((c as { name: string }).name).endsWith("-broker-0"),
      );
    };
    expect(brokerOf(more)).toBeDefined();
    expect(brokerOf(more)).toEqual(brokerOf(base));
  });

  it("leaves the tenants out with SLUICE_LOCAL_TENANTS=false (topics only)", () => {
    const stack = new LocalStack(Testing.app(), "sluice-local", {
      lockFile: tempLock(),
      tenants: false,
    });
    expect(stack.cluster.tenants).toEqual([]);
    expect(stack.cluster.topics.map((t) => t.topicName)).toEqual(["orders"]);
  });

  it("uses SLUICE_BASE_IMAGE as the image's base", () => {
    const stack = new LocalStack(Testing.app(), "sluice-local", {
      lockFile: tempLock(),
      baseImage: "local/node-base:test",
    });
    expect(Testing.synth(stack)).toContain('"BASE_IMAGE": "local/node-base:test"');
  });
});
