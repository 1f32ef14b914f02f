import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import {
  keysFromPassword,
  type ScramMechanismName,
  scramDigest,
} from "../../../lib/broker/tenancy/scram-algorithm";
import type { SecuritySettings } from "../../../lib/broker/tenancy/security-config";
import type { Tenancy } from "../../../lib/broker/tenancy/tenancy";
import { TenancyExtension } from "../../../lib/broker/tenancy/tenancy-extension";
import type { TenantDefinition } from "../../../lib/broker/tenancy/tenant";

/** An in-process broker with a SASL_PLAINTEXT listener and the tenancy layer. */
export interface TenancyBroker {
  readonly broker: Broker;
  readonly port: number;
  readonly bootstrap: string;
  readonly tenancy: Tenancy;
  destroy(): Promise<void>;
}

/** Starts the broker; `users` get SCRAM-SHA-256 and -512 credentials (PLAIN verifies against them). */
export async function startTenancyBroker(opts: {
  users: Record<string, string>;
  tenants?: TenantDefinition[];
  security?: SecuritySettings;
}): Promise<TenancyBroker> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sluice-tenancy-"));
  const security: SecuritySettings = {
    superUsers: ["User:admin"],
    authorizationEnabled: true,
    ...opts.security,
  };
  const config = resolveConfig(
    {},
    {
      dataDir,
      listeners: "SASL_PLAINTEXT://127.0.0.1:0",
      groups: { initialRebalanceDelayMs: 0 },
      security,
    },
  );
  const extension = new TenancyExtension(config.security);
  const broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension,
    handlers: tenancyHandlers(),
  });
  const tenancy = extension.tenancy;
  const mechanisms: ScramMechanismName[] = ["SCRAM-SHA-256", "SCRAM-SHA-512"];
  for (const [user, password] of Object.entries(opts.users)) {
    for (const mechanism of mechanisms) {
      const keys = await keysFromPassword(
        scramDigest(mechanism),
        password,
        Buffer.from(`salt-${user}`),
        4096,
      );
      await tenancy.credentials.apply([{ kind: "upsert", user, mechanism, keys }]);
    }
  }
  await tenancy.tenants.replace(opts.tenants ?? []);
  const port = broker.advertised()[0]?.port ?? 0;
  return {
    broker,
    port,
    bootstrap: `127.0.0.1:${port}`,
    tenancy,
    destroy: async () => {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
