import { createHash, createHmac } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newScramSalt, scramSaltedPassword } from "../../lib/admin/scram";
import type { CliIo } from "../../lib/cli/cli-io";
import { runCli } from "../../lib/cli/run-cli";
import { FakeKafkaServer } from "../admin/fake-kafka-server";

const MANIFEST = JSON.stringify({
  apiVersion: "sluice.dev/v1",
  topics: [{ name: "orders", partitions: 3, configs: { "retention.ms": "3600000" } }],
  principals: [{ name: "app", mechanism: "SCRAM-SHA-512", credential: { file: "/secrets/app" } }],
  quotas: [{ entity: { user: "app" }, values: { producer_byte_rate: 1048576 } }],
});

/** An in-memory CliIo with a tiny file system. */
function memoryIo(files: Record<string, string>, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
  };
  return { io, out, err };
}

let server: FakeKafkaServer;
let bootstrap: string;

beforeEach(async () => {
  server = new FakeKafkaServer();
  server.saslMechanisms = ["SCRAM-SHA-256"];
  server.plainUsers.set("unused", "x");
  bootstrap = `127.0.0.1:${await server.listen()}`;
});

afterEach(async () => {
  await server.close();
});

/** Seeds an admin SCRAM user on the fake so that `--sasl-mechanism SCRAM-SHA-256` works. */
async function seedAdmin(): Promise<void> {
  const salt = newScramSalt();
  const salted = scramSaltedPassword("SCRAM-SHA-256", "admin-pw", salt, 4096);
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  server.scram.set("admin", [
    {
      mechanism: 1,
      iterations: 4096,
      salt,
      storedKey: createHash("sha256").update(clientKey).digest(),
      serverKey: createHmac("sha256", salted).update("Server Key").digest(),
    },
  ]);
}

/** `sluice apply /m.json` against the test broker, authenticated as the seeded admin. */
const adminApplyArgv = (): string[] => [
  "apply",
  "/m.json",
  "--bootstrap",
  bootstrap,
  "--sasl-mechanism",
  "SCRAM-SHA-256",
  "--username",
  "admin",
  "--password-env",
  "ADMIN_PW",
];

describe("sluice apply", () => {
  it("applies, then reports no changes on the second run", async () => {
    await seedAdmin();
    const files = { "/m.json": MANIFEST, "/secrets/app": "app-pw\n" };
    const argv = adminApplyArgv();
    const first = memoryIo(files, { ADMIN_PW: "admin-pw" });
    expect(await runCli(argv, first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out).toEqual([
      "+ topic orders (3 partitions, retention.ms=3600000)",
      "~ credential app SCRAM-SHA-512 (8192 iterations; missing)",
      "~ quota user=app: producer_byte_rate=1048576",
      "note: kept 1 SCRAM credential(s) not in the manifest: admin (SCRAM-SHA-256)",
      "applied 3 change(s)",
    ]);
    const second = memoryIo(files, { ADMIN_PW: "admin-pw" });
    expect(await runCli(argv, second.io)).toBe(0);
    expect(second.out).toEqual([
      "note: kept 1 SCRAM credential(s) not in the manifest: admin (SCRAM-SHA-256)",
      "no changes",
    ]);
  });

  it("keeps the credential it is authenticated with when credentials may be deleted", async () => {
    await seedAdmin();
    const strict = JSON.stringify({ ...JSON.parse(MANIFEST), deletions: "credentials" });
    const files = { "/m.json": strict, "/secrets/app": "app-pw" };
    const argv = adminApplyArgv();
    for (let run = 0; run < 2; run++) {
      const { io, out, err } = memoryIo(files, { ADMIN_PW: "admin-pw" });
      expect(await runCli(argv, io), err.join("\n")).toBe(0);
      expect(out).toContain(
        "note: kept the SCRAM credential(s) of admin, the user sluice apply is authenticated as: SCRAM-SHA-256",
      );
    }
    expect(server.scram.get("admin")).toHaveLength(1);
  });

  it("reads the manifest from an environment variable, as JSON or gzip-compressed base64", async () => {
    server.saslMechanisms = [];
    const packed = gzipSync(MANIFEST).toString("base64");
    for (const value of [MANIFEST, packed]) {
      const { io, out, err } = memoryIo({ "/secrets/app": "pw" }, { SLUICE_MANIFEST: value });
      const argv = ["apply", "--manifest-env", "SLUICE_MANIFEST", "--bootstrap", bootstrap];
      expect(await runCli([...argv, "--dry-run"], io), err.join("\n")).toBe(0);
      expect(out[0]).toBe("+ topic orders (3 partitions, retention.ms=3600000)");
    }
  });

  it.each([
    [{}, "error: cannot read $SLUICE_MANIFEST: the variable is not set"],
    [
      { SLUICE_MANIFEST: "not a manifest" },
      "error: cannot read $SLUICE_MANIFEST: neither JSON nor gzip-compressed JSON in base64",
    ],
  ])("fails on a manifest variable %j", async (env, message) => {
    const { io, err } = memoryIo({}, env);
    const argv = ["apply", "--manifest-env", "SLUICE_MANIFEST", "--bootstrap", bootstrap];
    expect(await runCli(argv, io)).toBe(1);
    expect(err).toEqual([message]);
  });

  it("prints the diff and changes nothing with --dry-run", async () => {
    server.saslMechanisms = [];
    const { io, out } = memoryIo({ "/m.json": MANIFEST, "/secrets/app": "pw" });
    expect(await runCli(["apply", "/m.json", "--bootstrap", bootstrap, "--dry-run"], io)).toBe(0);
    expect(out).toEqual([
      "+ topic orders (3 partitions, retention.ms=3600000)",
      "~ credential app SCRAM-SHA-512 (8192 iterations; missing)",
      "~ quota user=app: producer_byte_rate=1048576",
      "dry run: 3 change(s) not applied",
    ]);
    expect(server.topics.size).toBe(0);
  });

  it("exits 1 with the plan errors when partitions would shrink", async () => {
    server.saslMechanisms = [];
    server.topics.set("orders", { partitions: 8, rf: 1, configs: new Map() });
    const { io, err } = memoryIo({ "/m.json": MANIFEST, "/secrets/app": "pw" });
    expect(await runCli(["apply", "/m.json", "--bootstrap", bootstrap], io)).toBe(1);
    expect(err).toEqual([
      "error: topic 'orders': the manifest asks for 3 partitions but it has 8; partitions can only grow (delete and recreate the topic to shrink it)",
      "nothing was applied",
    ]);
  });

  it("exits 1 when a credential reference cannot be resolved", async () => {
    server.saslMechanisms = [];
    const { io, err } = memoryIo({ "/m.json": MANIFEST });
    expect(await runCli(["apply", "/m.json", "--bootstrap", bootstrap], io)).toBe(1);
    expect(err[0]).toMatch(/^error: principal 'app': cannot read credential file \/secrets\/app/);
  });

  it("exits 1 when the cluster is unreachable and --wait-ms 0 forbids waiting", async () => {
    await server.close();
    const { io, err } = memoryIo({ "/m.json": MANIFEST, "/secrets/app": "pw" });
    expect(await runCli(["apply", "/m.json", "--bootstrap", bootstrap, "--wait-ms", "0"], io)).toBe(
      1,
    );
    expect(err[0]).toMatch(/^error: cannot connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    server = new FakeKafkaServer();
    await server.listen();
  });

  it("exits 1 on a wrong SASL password", async () => {
    await seedAdmin();
    const { io, err } = memoryIo({ "/m.json": MANIFEST }, { PW: "wrong" });
    const argv = [
      "apply",
      "/m.json",
      "--bootstrap",
      bootstrap,
      "--sasl-mechanism",
      "SCRAM-SHA-256",
      "--username",
      "admin",
      "--password-env",
      "PW",
    ];
    expect(await runCli(argv, io)).toBe(1);
    expect(err[0]).toMatch(/^error: SASL authentication failed/);
  });

  it.each([
    [["apply"], "sluice: sluice apply takes exactly one MANIFEST file"],
    [
      ["apply", "/m.json", "--manifest-env", "M", "--bootstrap", "h:1"],
      "sluice: sluice apply takes a MANIFEST file or --manifest-env, not both",
    ],
    [["apply", "/m.json"], "sluice: --bootstrap HOST:PORT is required"],
    [
      ["apply", "/m.json", "--bootstrap", "nohost"],
      "sluice: --bootstrap must be HOST:PORT (got 'nohost')",
    ],
    [
      ["apply", "/m.json", "--bootstrap", "h:1", "--frobnicate"],
      "sluice: unknown option --frobnicate",
    ],
    [
      ["apply", "/m.json", "--bootstrap", "h:1", "--timeout-ms", "soon"],
      "sluice: --timeout-ms must be a positive integer (got 'soon')",
    ],
    [
      [
        "apply",
        "/m.json",
        "--bootstrap",
        "h:1",
        "--sasl-mechanism",
        "GSSAPI",
        "--username",
        "u",
        "--password-env",
        "P",
      ],
      "sluice: --sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (got 'GSSAPI')",
    ],
    [
      ["apply", "/m.json", "--bootstrap", "h:1", "--sasl-mechanism", "PLAIN", "--username", "u"],
      "sluice: --sasl-mechanism needs exactly one of --password-env or --password-file",
    ],
    [
      ["apply", "/m.json", "--bootstrap", "h:1", "--username", "u"],
      "sluice: --username/--password-env/--password-file need --sasl-mechanism",
    ],
    [["frobnicate"], "sluice: unknown command 'frobnicate'"],
    [[], "sluice: missing command"],
  ])("exits 64 on usage error %j", async (argv, message) => {
    const { io, err } = memoryIo({ "/m.json": MANIFEST });
    expect(await runCli(argv, io)).toBe(64);
    expect(err[0]).toBe(message);
  });
});

describe("sluice manifest", () => {
  it("validates a manifest and prints a summary", async () => {
    const { io, out } = memoryIo({ "/m.json": MANIFEST });
    expect(await runCli(["manifest", "validate", "/m.json"], io)).toBe(0);
    expect(out[0]).toMatch(
      /^\/m\.json: valid \(1 topics, 1 principals, 0 tenants, 0 ACLs, 1 quotas; hash [0-9a-f]{12}\)$/,
    );
  });

  it("exits 1 with every problem of an invalid manifest", async () => {
    const bad = JSON.stringify({
      apiVersion: "sluice.dev/v1",
      topics: [{ name: "x", partitions: 0 }],
      tenants: [{}],
    });
    const { io, err } = memoryIo({ "/bad.json": bad });
    expect(await runCli(["manifest", "validate", "/bad.json"], io)).toBe(1);
    expect(err[0]).toContain("invalid manifest /bad.json:");
    expect(err[0]).toContain("topics[0].partitions: must be a positive integer");
    expect(err[0]).toContain("tenants[0].name:");
  });

  it("prints the canonical hash", async () => {
    const { io, out } = memoryIo({ "/m.json": MANIFEST });
    expect(await runCli(["manifest", "hash", "/m.json"], io)).toBe(0);
    expect(out[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("prints a JSON Schema that describes the manifest", async () => {
    const { io, out } = memoryIo({});
    expect(await runCli(["manifest", "schema"], io)).toBe(0);
    const schema = JSON.parse(out.join("\n")) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(["apiVersion"]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["topics", "principals", "tenants", "acls", "quotas", "deletions"]),
    );
  });

  it("exits 64 on a bad subcommand", async () => {
    const { io } = memoryIo({});
    expect(await runCli(["manifest", "lint", "x"], io)).toBe(64);
  });
});
