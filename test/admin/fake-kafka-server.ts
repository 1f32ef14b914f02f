import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import * as net from "node:net";
import * as tls from "node:tls";
import {
  ApiKey,
  type ApiVersionsResponseInput,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  type RequestOf,
  type ResponseInputOf,
  readRequestHeader,
  SUPPORTED_APIS,
} from "../../lib/broker/protocol";

type Handler<K extends ApiKey> = (
  req: RequestOf<K>,
  version: number,
  conn: ConnState,
) => ResponseInputOf<K> | undefined;

/** Per-connection state of the fake. */
export interface ConnState {
  saslMechanism: string | undefined;
  scram:
    | {
        user: string;
        mechanism: string;
        clientFirstBare: string;
        serverFirst: string;
        nonce: string;
      }
    | undefined;
  authenticatedAs: string | undefined;
}

interface StoredScram {
  mechanism: number;
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** One ACL in wire codes. */
interface Acl {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

/**
 * A tiny in-memory Kafka admin endpoint speaking the real wire codec, for admin-client tests.
 * Knobs: restrict versions, require SASL, answer too-new ApiVersions with the KIP-511 fallback,
 * drop responses (timeouts), corrupt correlation ids.
 */
export class FakeKafkaServer {
  readonly requests: { apiKey: number; version: number }[] = [];
  readonly topics = new Map<
    string,
    { partitions: number; rf: number; configs: Map<string, string> }
  >();
  readonly brokerConfigs = new Map<string, string>();
  readonly acls: Acl[] = [];
  readonly quotas = new Map<
    string,
    { entity: { entityType: string; entityName: string | null }[]; values: Map<string, number> }
  >();
  readonly scram = new Map<string, StoredScram[]>();
  /** PLAIN users: name → password. */
  readonly plainUsers = new Map<string, string>();
  /** Max version per API (defaults to the codec's). */
  readonly maxVersions = new Map<number, number>();
  /** APIs not advertised at all. */
  readonly disabled = new Set<number>();
  /** Whether clients must authenticate; mechanisms enabled. */
  saslMechanisms: string[] = [];
  authorizer = true;
  tenancy = true;
  /** API keys whose requests get no answer. */
  readonly silent = new Set<number>();
  corruptCorrelation = false;

  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly handlers: { [K in ApiKey]?: Handler<K> } = {};

  /** @param tlsOptions serve TLS with this key and certificate instead of plain TCP. */
  constructor(tlsOptions?: { key: Buffer; cert: Buffer }) {
    this.server = tlsOptions
      ? tls.createServer(tlsOptions, (s) => this.onConnection(s))
      : net.createServer((s) => this.onConnection(s));
    this.installHandlers();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    if (addr === null || typeof addr === "string") throw new Error("no port");
    return addr.port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private advertised(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return Object.entries(SUPPORTED_APIS)
      .map(([k, v]) => ({
        apiKey: Number(k),
        minVersion: v.min,
        maxVersion: this.maxVersions.get(Number(k)) ?? v.max,
      }))
      .filter(
        (a) =>
          !this.disabled.has(a.apiKey) &&
          (a.apiKey !== ApiKey.SaslHandshake || this.saslMechanisms.length > 0),
      );
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    const conn: ConnState = {
      saslMechanism: undefined,
      scram: undefined,
      authenticatedAs: undefined,
    };
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        const size = buf.readInt32BE(0);
        if (buf.length < 4 + size) return;
        const frame = buf.subarray(4, 4 + size);
        buf = buf.subarray(4 + size);
        this.onFrame(socket, frame, conn);
      }
    });
    socket.on("error", () => {});
  }

  private onFrame(socket: net.Socket, frame: Buffer, conn: ConnState): void {
    const h = readRequestHeader(frame);
    this.requests.push({ apiKey: h.apiKey, version: h.apiVersion });
    const correlationId = this.corruptCorrelation ? h.correlationId + 1000 : h.correlationId;
    const max = this.maxVersions.get(h.apiKey) ?? SUPPORTED_APIS[h.apiKey as ApiKey]?.max ?? -1;
    if (h.apiKey === ApiKey.ApiVersions && h.apiVersion > max) {
      socket.write(
        Buffer.concat(
          encodeResponse(ApiKey.ApiVersions, 0, correlationId, {
            errorCode: ErrorCode.UNSUPPORTED_VERSION,
            apiKeys: this.advertised(),
          }),
        ),
      );
      return;
    }
    if (h.apiVersion > max) {
      socket.destroy();
      return;
    }
    const preAuth =
      h.apiKey === ApiKey.ApiVersions ||
      h.apiKey === ApiKey.SaslHandshake ||
      h.apiKey === ApiKey.SaslAuthenticate;
    if (this.saslMechanisms.length > 0 && conn.authenticatedAs === undefined && !preAuth) {
      socket.destroy();
      return;
    }
    if (this.silent.has(h.apiKey)) return;
    const key = h.apiKey as ApiKey;
    const handler = this.handlers[key] as Handler<ApiKey> | undefined;
    if (!handler) {
      socket.destroy();
      return;
    }
    const req = decodeRequest(key, h.apiVersion, frame, h.bodyOffset);
    const body = handler(req, h.apiVersion, conn);
    if (body === undefined) {
      socket.destroy();
      return;
    }
    socket.write(Buffer.concat(encodeResponse(key, h.apiVersion, correlationId, body)));
  }

  private on<K extends ApiKey>(key: K, handler: Handler<K>): void {
    (this.handlers as Record<number, unknown>)[key] = handler;
  }

  private installHandlers(): void {
    this.on(
      ApiKey.ApiVersions,
      (): ApiVersionsResponseInput => ({ errorCode: 0, apiKeys: this.advertised() }),
    );

    this.on(ApiKey.SaslHandshake, (req, _v, conn) => {
      if (!this.saslMechanisms.includes(req.mechanism)) {
        return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: this.saslMechanisms };
      }
      conn.saslMechanism = req.mechanism;
      return { errorCode: 0, mechanisms: this.saslMechanisms };
    });

    this.on(ApiKey.SaslAuthenticate, (req, _v, conn) => this.saslStep(req.authBytes, conn));

    this.on(ApiKey.Metadata, (req) => {
      const names =
        req.topics === null || req.topics.length === 0
          ? [...this.topics.keys()]
          : req.topics.map((t) => t.name ?? "");
      return {
        brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092 }],
        clusterId: "fake",
        controllerId: 1,
        topics: names.map((name) => {
          const t = this.topics.get(name);
          return {
            errorCode: t ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            name,
            topicId: "00000000-0000-0000-0000-000000000000",
            isInternal: name.startsWith("__"),
            partitions: Array.from({ length: t?.partitions ?? 0 }, (_, i) => ({
              errorCode: 0,
              partitionIndex: i,
              leaderId: 1,
              replicaNodes: Array.from({ length: t?.rf ?? 1 }, (_, r) => r + 1),
              isrNodes: [1],
              offlineReplicas: [],
            })),
          };
        }),
      };
    });

    this.on(ApiKey.CreateTopics, (req) => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        if (this.topics.has(t.name)) {
          return {
            name: t.name,
            errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
            errorMessage: `Topic '${t.name}' already exists.`,
          };
        }
        this.topics.set(t.name, {
          partitions: t.numPartitions,
          rf: t.replicationFactor === -1 ? 1 : t.replicationFactor,
          configs: new Map(t.configs.map((c) => [c.name, c.value ?? ""])),
        });
        return { name: t.name, errorCode: 0, errorMessage: null };
      }),
    }));

    this.on(ApiKey.CreatePartitions, (req) => ({
      throttleTimeMs: 0,
      results: req.topics.map((t) => {
        const topic = this.topics.get(t.name);
        if (!topic)
          return {
            name: t.name,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: null,
          };
        if (t.count <= topic.partitions)
          return {
            name: t.name,
            errorCode: ErrorCode.INVALID_PARTITIONS,
            errorMessage: "must grow",
          };
        topic.partitions = t.count;
        return { name: t.name, errorCode: 0, errorMessage: null };
      }),
    }));

    this.on(ApiKey.DeleteTopics, (req, v) => {
      const names = v >= 6 ? req.topics.map((t) => t.name ?? "") : req.topicNames;
      return {
        throttleTimeMs: 0,
        responses: names.map((name) => ({
          name,
          errorCode: this.topics.delete(name) ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      };
    });

    this.on(ApiKey.DescribeConfigs, (req) => ({
      throttleTimeMs: 0,
      results: req.resources.map((r) => {
        if (r.resourceType === 4) {
          const configs = [...this.brokerConfigs].map(([name, value]) => ({
            name,
            value,
            readOnly: false,
            configSource: 4,
            isSensitive: false,
            synonyms: [],
          }));
          if (this.tenancy)
            configs.push({
              name: "sluice.tenancy",
              value: "v1",
              readOnly: true,
              configSource: 5,
              isSensitive: false,
              synonyms: [],
            });
          return {
            errorCode: 0,
            errorMessage: null,
            resourceType: 4,
            resourceName: r.resourceName,
            configs,
          };
        }
        const t = this.topics.get(r.resourceName);
        if (!t)
          return {
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: null,
            resourceType: 2,
            resourceName: r.resourceName,
            configs: [],
          };
        const defaults = new Map([
          ["retention.ms", "604800000"],
          ["cleanup.policy", "delete"],
        ]);
        const configs = [...new Set([...defaults.keys(), ...t.configs.keys()])].map((name) => ({
          name,
          value: t.configs.get(name) ?? defaults.get(name) ?? null,
          readOnly: false,
          configSource: t.configs.has(name) ? 1 : 5,
          isSensitive: false,
          synonyms: [],
        }));
        return {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: r.resourceName,
          configs,
        };
      }),
    }));

    this.on(ApiKey.IncrementalAlterConfigs, (req) => ({
      throttleTimeMs: 0,
      responses: req.resources.map((r) => {
        const target =
          r.resourceType === 4 ? this.brokerConfigs : this.topics.get(r.resourceName)?.configs;
        if (!target)
          return {
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: null,
            resourceType: r.resourceType,
            resourceName: r.resourceName,
          };
        for (const c of r.configs) {
          if (c.configOperation === 0) target.set(c.name, c.value ?? "");
          else target.delete(c.name);
        }
        return {
          errorCode: 0,
          errorMessage: null,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
        };
      }),
    }));

    this.on(ApiKey.DescribeAcls, () => {
      if (!this.authorizer)
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.SECURITY_DISABLED,
          errorMessage: "no authorizer",
          resources: [],
        };
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        resources: this.acls.map((a) => ({
          resourceType: a.resourceType,
          resourceName: a.resourceName,
          patternType: a.patternType,
          acls: [
            {
              principal: a.principal,
              host: a.host,
              operation: a.operation,
              permissionType: a.permissionType,
            },
          ],
        })),
      };
    });

    this.on(ApiKey.CreateAcls, (req) => ({
      throttleTimeMs: 0,
      results: req.creations.map((c) => {
        this.acls.push({ ...c, patternType: c.resourcePatternType });
        return { errorCode: 0, errorMessage: null };
      }),
    }));

    this.on(ApiKey.DeleteAcls, (req) => ({
      throttleTimeMs: 0,
      filterResults: req.filters.map((f) => {
        const matching = this.acls.filter(
          (a) =>
            a.resourceType === f.resourceTypeFilter &&
            a.resourceName === f.resourceNameFilter &&
            a.patternType === f.patternTypeFilter &&
            a.principal === f.principalFilter &&
            a.host === f.hostFilter &&
            a.operation === f.operation &&
            a.permissionType === f.permissionType,
        );
        for (const m of matching) this.acls.splice(this.acls.indexOf(m), 1);
        return {
          errorCode: 0,
          errorMessage: null,
          matchingAcls: matching.map((m) => ({ errorCode: 0, errorMessage: null, ...m })),
        };
      }),
    }));

    this.on(ApiKey.DescribeClientQuotas, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      entries: [...this.quotas.values()].map((q) => ({
        entity: q.entity,
        values: [...q.values].map(([key, value]) => ({ key, value })),
      })),
    }));

    this.on(ApiKey.AlterClientQuotas, (req) => ({
      throttleTimeMs: 0,
      entries: req.entries.map((e) => {
        const key = JSON.stringify(e.entity);
        const q = this.quotas.get(key) ?? { entity: e.entity, values: new Map<string, number>() };
        for (const op of e.ops) {
          if (op.remove) q.values.delete(op.key);
          else q.values.set(op.key, op.value);
        }
        if (q.values.size === 0) this.quotas.delete(key);
        else this.quotas.set(key, q);
        return { errorCode: 0, errorMessage: null, entity: e.entity };
      }),
    }));

    this.on(ApiKey.DescribeUserScramCredentials, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      results: [...this.scram].map(([user, creds]) => ({
        user,
        errorCode: 0,
        errorMessage: null,
        credentialInfos: creds.map((c) => ({ mechanism: c.mechanism, iterations: c.iterations })),
      })),
    }));

    this.on(ApiKey.AlterUserScramCredentials, (req) => {
      const results: { user: string; errorCode: number; errorMessage: string | null }[] = [];
      for (const d of req.deletions) {
        const list = (this.scram.get(d.name) ?? []).filter((c) => c.mechanism !== d.mechanism);
        if (list.length) this.scram.set(d.name, list);
        else this.scram.delete(d.name);
        results.push({ user: d.name, errorCode: 0, errorMessage: null });
      }
      for (const u of req.upsertions) {
        const alg = u.mechanism === 1 ? "sha256" : "sha512";
        const clientKey = createHmac(alg, u.saltedPassword).update("Client Key").digest();
        const cred: StoredScram = {
          mechanism: u.mechanism,
          iterations: u.iterations,
          salt: u.salt,
          storedKey: createHash(alg).update(clientKey).digest(),
          serverKey: createHmac(alg, u.saltedPassword).update("Server Key").digest(),
        };
        const list = (this.scram.get(u.name) ?? []).filter((c) => c.mechanism !== u.mechanism);
        list.push(cred);
        this.scram.set(u.name, list);
        results.push({ user: u.name, errorCode: 0, errorMessage: null });
      }
      return { throttleTimeMs: 0, results };
    });
  }

  private saslStep(authBytes: Buffer, conn: ConnState): ResponseInputOf<ApiKey.SaslAuthenticate> {
    const fail = (msg: string) => ({
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
      errorMessage: msg,
      authBytes: Buffer.alloc(0),
    });
    const ok = (bytes: Buffer) => ({ errorCode: 0, errorMessage: null, authBytes: bytes });
    if (conn.saslMechanism === "PLAIN") {
      const [, user, password] = authBytes.toString("utf8").split("\u0000");
      if (user !== undefined && this.plainUsers.get(user) === password) {
        conn.authenticatedAs = user;
        return ok(Buffer.alloc(0));
      }
      return fail("Invalid username or password");
    }
    const mechanism = conn.saslMechanism === "SCRAM-SHA-256" ? 1 : 2;
    const alg = mechanism === 1 ? "sha256" : "sha512";
    const text = authBytes.toString("utf8");
    if (conn.scram === undefined) {
      const bare = text.replace(/^n,,/, "");
      const user = /n=([^,]*)/.exec(bare)?.[1] ?? "";
      const cnonce = /r=([^,]*)/.exec(bare)?.[1] ?? "";
      const cred = this.scram.get(user)?.find((c) => c.mechanism === mechanism);
      if (!cred) return fail("Authentication failed: Invalid user credentials");
      const nonce = cnonce + randomBytes(12).toString("base64url");
      const serverFirst = `r=${nonce},s=${cred.salt.toString("base64")},i=${cred.iterations}`;
      conn.scram = { user, mechanism: alg, clientFirstBare: bare, serverFirst, nonce };
      return ok(Buffer.from(serverFirst));
    }
    const s = conn.scram;
    conn.scram = undefined;
    const cred = this.scram.get(s.user)?.find((c) => c.mechanism === mechanism);
    const withoutProof = text.replace(/,p=[^,]*$/, "");
    const proof = Buffer.from(/,p=([^,]*)$/.exec(text)?.[1] ?? "", "base64");
    if (!cred || !withoutProof.includes(`r=${s.nonce}`)) return fail("Authentication failed");
    const authMessage = `${s.clientFirstBare},${s.serverFirst},${withoutProof}`;
    const clientSignature = createHmac(alg, cred.storedKey).update(authMessage).digest();
    if (proof.length !== clientSignature.length) return fail("Authentication failed");
    const clientKey = Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] ?? 0)));
    const stored = createHash(alg).update(clientKey).digest();
    if (!timingSafeEqual(stored, cred.storedKey))
      return fail("Authentication failed: Invalid user credentials");
    conn.authenticatedAs = s.user;
    const serverSignature = createHmac(alg, cred.serverKey).update(authMessage).digest();
    return ok(Buffer.from(`v=${serverSignature.toString("base64")}`));
  }
}
