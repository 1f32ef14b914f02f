import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import { TenancyExtension } from "../../../lib/broker/tenancy/tenancy-extension";
import { SaslWireClient } from "./sasl-wire-client";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "sluice-bootstrap-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts a SASL broker on `dataDir` whose bootstrap user `admin` reads its password from ADMIN_PW. */
async function start(env: Record<string, string>): Promise<{ broker: Broker; port: number }> {
  const config = resolveConfig(
    {},
    {
      dataDir,
      listeners: "SASL_PLAINTEXT://127.0.0.1:0",
      security: { bootstrapUsers: [{ user: "admin", passwordEnv: "ADMIN_PW" }] },
    },
  );
  const broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension: new TenancyExtension(config.security, env),
    handlers: tenancyHandlers(),
  });
  return { broker, port: broker.advertised()[0]?.port ?? 0 };
}

const canLogin = async (port: number, password: string): Promise<boolean> => {
  try {
    (await SaslWireClient.login(port, "admin", password)).close();
    return true;
  } catch {
    return false;
  }
};

describe("bootstrap users", () => {
  it("follow the password in their environment variable across restarts", async () => {
    let b = await start({ ADMIN_PW: "first" });
    expect(await canLogin(b.port, "first")).toBe(true);
    await b.broker.stop();

    // Unset variable: the stored credential stays.
    b = await start({});
    expect(await canLogin(b.port, "first")).toBe(true);
    await b.broker.stop();

    // A different password (a new deploy over a retained volume) replaces it.
    b = await start({ ADMIN_PW: "second" });
    expect(await canLogin(b.port, "second")).toBe(true);
    expect(await canLogin(b.port, "first")).toBe(false);
    await b.broker.stop();
  });
});
