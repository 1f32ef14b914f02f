import type { AdminClientOptions } from "../admin/kafka-admin-client";
import { KafkaClusterAdmin } from "../admin/kafka-cluster-admin";
import { EXIT_CODES } from "../exit-codes";
import type { ClusterAdmin, ClusterValidator } from "../manifest/cluster-admin";
import { validateManifest } from "../manifest/validate-manifest";
import { comparePreview } from "../preview/compare-clusters";
import {
  formatPreviewJson,
  formatPreviewMarkdown,
  formatPreviewText,
} from "../preview/format-preview";
import { withLiveCheck } from "../preview/live-check";
import { type PlanPreview, planExitCode, planPreviewJsonSchema } from "../preview/plan-preview";
import {
  checkSameApp,
  PlanInputError,
  readSynthOutput,
  type SynthOutput,
} from "../preview/synth-output";
import { crossCheckTerraform, readTerraformPlan } from "../preview/terraform-plan";
import type { CliIo } from "./cli-io";
import { connectWithRetry } from "./connect-with-retry";
import { CONNECTION_FLAGS, connectionOptions, waitMsFlag } from "./connection-flags";
import { parseArgs, parseHostPort, stringFlag } from "./parse-args";
import { UsageError } from "./usage-error";

/** Usage text of `sluice plan`. */
export const PLAN_USAGE = `usage: sluice plan --base DIR --head DIR [--format text|markdown|json]
                   [--terraform-plan FILE]
       sluice plan --json-schema      print the JSON Schema of --format json

Compares two synth outputs (cdktf.out directories) offline: what the change does to topics, tenants,
principals, ACLs, quotas, brokers and volumes, and the hazards it carries.

  --terraform-plan FILE   \`terraform show -json\` of a plan of the head: each resource Terraform would
                          create, update, replace or destroy, mapped to its construct and to the
                          preview's change; where the two disagree, a TERRAFORM_DISAGREES hazard
  --bootstrap HOST:PORT   validate the head's desired state against this live cluster without
                          changing it (sluice apply's dry run, Kafka's validateOnly): what the
                          cluster would refuse becomes a CLUSTER_REFUSES hazard. Takes sluice
                          apply's connection flags (--sasl-mechanism, --username, --password-env,
                          --password-file, --tls, --ca, --cert, --key, --insecure, --timeout-ms,
                          --wait-ms) and --cluster NAME when the head has several clusters

exit codes: 0 no changes, 2 changes, 3 unacknowledged hazards, 1 error, 64 usage error (docs/cli.md)`;

const FORMATS = ["text", "markdown", "json"] as const;

/** Renders a preview in one of {@link FORMATS}. */
const FORMATTERS: Record<(typeof FORMATS)[number], (p: PlanPreview) => string> = {
  text: formatPreviewText,
  markdown: formatPreviewMarkdown,
  json: formatPreviewJson,
};

/** A connected admin that can also validate changes without making them. */
export type ValidatingAdmin = ClusterAdmin & ClusterValidator & { close(): void };
/** Connects a {@link ValidatingAdmin}; injectable for tests. */
export type ValidatingConnector = (options: AdminClientOptions) => Promise<ValidatingAdmin>;

/**
 * `sluice plan`; returns the exit code (see {@link PLAN_USAGE}), at once when offline, as a promise
 * with `--bootstrap`.
 */
export function planCommand(
  argv: readonly string[],
  io: CliIo,
  connect: ValidatingConnector = (o) => KafkaClusterAdmin.connect(o),
): number | Promise<number> {
  const failed = (e: unknown): number => {
    if (e instanceof UsageError) {
      io.err(`sluice plan: ${e.message}`);
      io.err(PLAN_USAGE);
      return EXIT_CODES.usage;
    }
    if (e instanceof PlanInputError) {
      io.err(`sluice plan: ${e.message}`);
      return EXIT_CODES.error;
    }
    throw e;
  };
  try {
    const args = parseArgs(argv, {
      base: { type: "string" },
      head: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean" },
      "json-schema": { type: "boolean" },
      "terraform-plan": { type: "string" },
      bootstrap: { type: "string" },
      cluster: { type: "string" },
      ...CONNECTION_FLAGS,
    });
    if (args.flags.has("help")) {
      io.out(PLAN_USAGE);
      return 0;
    }
    if (args.flags.has("json-schema")) {
      io.out(JSON.stringify(planPreviewJsonSchema(), null, 2));
      return 0;
    }
    const base = stringFlag(args, "base");
    const head = stringFlag(args, "head");
    const format = stringFlag(args, "format") ?? "text";
    if (base === undefined || head === undefined)
      throw new UsageError("--base and --head are required");
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const formatter = Object.hasOwn(FORMATTERS, format)
      ? FORMATTERS[format as (typeof FORMATS)[number]]
      : undefined;
    if (formatter === undefined) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got '${format}')`);
    }
    // Every usage error before any file is read: a bad command line is 64 whatever the directories hold.
    const bootstrap = stringFlag(args, "bootstrap");
    if (bootstrap === undefined) {
      for (const flag of ["cluster", ...Object.keys(CONNECTION_FLAGS)]) {
        if (args.flags.has(flag)) throw new UsageError(`--${flag} needs --bootstrap`);
      }
    }
    const before = readSynthOutput(base);
    const after = readSynthOutput(head);
    checkSameApp(before, after);
    const offline = comparePreview(before, after);
    const planFile = stringFlag(args, "terraform-plan");
    const preview =
      planFile === undefined
        ? offline
        : crossCheckTerraform(offline, readTerraformPlan(planFile), planFile, after);
    const report = (p: PlanPreview): number => {
      io.out(formatter(p).replace(/\n$/, ""));
      return planExitCode(p);
    };
    if (bootstrap === undefined) return report(preview);
    const cluster = liveCluster(after, stringFlag(args, "cluster"));
    const bootstraps = bootstrap.split(",").map(parseHostPort);
    const options = connectionOptions(args, io);
    const waitMs = waitMsFlag(args, 0);
    return (async () => {
      let admin: ValidatingAdmin;
      try {
        admin = await connectWithRetry(bootstraps, options, connect, { waitMs });
      } catch (e) {
        io.err(`sluice plan: cannot reach the cluster at ${bootstrap}: ${(e as Error).message}`);
        return EXIT_CODES.error;
      }
      try {
        const validation = await validateManifest(cluster.manifest, admin);
        return report(withLiveCheck(preview, cluster.cluster, bootstrap, validation));
      } catch (e) {
        io.err(`sluice plan: validating against ${bootstrap} failed: ${(e as Error).message}`);
        return EXIT_CODES.error;
      } finally {
        admin.close();
      }
    })();
  } catch (e) {
    return failed(e);
  }
}

/** The head's cluster `--bootstrap` reaches: the one named by `--cluster`, or the only one. */
function liveCluster(head: SynthOutput, name: string | undefined) {
  if (name !== undefined) {
    const model = head.clusters.get(name);
    if (model === undefined) {
      throw new UsageError(
        `--cluster ${name}: the head has no such cluster (it has ${[...head.clusters.keys()].join(", ")})`,
      );
    }
    return model;
  }
  const [only, ...more] = head.clusters.values();
  if (only === undefined || more.length > 0) {
    throw new UsageError(
      `the head has ${head.clusters.size} clusters (${[...head.clusters.keys()].join(", ")}); name the one --bootstrap reaches with --cluster`,
    );
  }
  return only;
}
