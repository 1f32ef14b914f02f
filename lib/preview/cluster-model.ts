import { z } from "zod";
import { manifestSchema } from "../manifest/schema";

/**
 * The synthesized model of one cluster: what `sluice plan` compares between two synth outputs. Synth
 * writes it next to the stack (`cdktf.out/stacks/<stack>/sluice-cluster-<name>.json`), so a preview
 * needs no cluster, no credentials and no Terraform state. Versioned: a reader refuses versions it
 * does not know.
 */
export const CLUSTER_MODEL_VERSION = 1;

/** File name prefix of a cluster model in a stack's output directory. */
export const CLUSTER_MODEL_PREFIX = "sluice-cluster-";

/** The file name of a cluster's model. */
export function clusterModelFileName(clusterName: string): string {
  return `${CLUSTER_MODEL_PREFIX}${clusterName}.json`;
}

/** One broker's data volume. */
export const modelVolumeSchema = z.strictObject({
  /** Volume name on the target. */
  name: z.string(),
  /** Declared size, GiB. */
  sizeGiB: z.number(),
  /** `retain`, `protect` or `destroy` (the construct's RemovalPolicy). */
  removalPolicy: z.string(),
  /** The construct acknowledges a shrink (`allowVolumeShrink`). */
  allowShrink: z.boolean(),
});

/** One broker. */
export const modelBrokerSchema = z.strictObject({
  /** Kafka node id. */
  nodeId: z.number().int(),
  /** CPU limit, in cores. */
  cpus: z.number(),
  /** Memory limit, in MiB. */
  memoryMiB: z.number(),
  /** Host port of its client listener. */
  hostPort: z.number().int(),
  /**
   * The host it runs on (the target's construct path). Absent in models written before clusters
   * could span hosts: then it is taken as unchanged.
   */
  host: z.string().optional(),
  /** Its data volume. */
  volume: modelVolumeSchema,
});

/** The cluster model file. */
export const clusterModelSchema = z.strictObject({
  /** The format version (`CLUSTER_MODEL_VERSION`). */
  sluiceClusterModel: z.literal(CLUSTER_MODEL_VERSION, {
    error: `must be ${CLUSTER_MODEL_VERSION} (this sluice reads cluster model version ${CLUSTER_MODEL_VERSION} only)`,
  }),
  /** Cluster name: the cluster's identity across synth outputs. */
  cluster: z.string(),
  /** The construct path, informational (moving the construct does not change the identity). */
  constructPath: z.string(),
  /** What the brokers run. */
  engine: z.strictObject({
    /** `bundled` or `apache-kafka`. */
    kind: z.string(),
    /** Apache Kafka version, or null. */
    version: z.string().nullable(),
    /** The image the brokers run, when the target knows it at synth. */
    image: z.string().nullable(),
    /**
     * The base image Sluice's own image is built on (the bundled broker's, or the apply tool's next
     * to Apache Kafka), or null. Absent in models of older Sluice versions.
     */
    baseImage: z.string().nullable().optional(),
  }),
  /** `NONE` or `SASL`. */
  clientAuthentication: z.string(),
  /** The brokers, by node id. */
  brokers: z.array(modelBrokerSchema),
  /** Topics whose partition decrease the construct acknowledges (`allowPartitionDecrease`). */
  acknowledgedPartitionDecreases: z.array(z.string()),
  /** The app acknowledges an engine switch (`allowEngineSwitch`). Absent in older models: false. */
  acknowledgedEngineSwitch: z.boolean().optional(),
  /** The app acknowledges a listener that starts requiring authentication (`allowAuthenticationChange`). */
  acknowledgedAuthenticationChange: z.boolean().optional(),
  /** Whether synth checked partition counts and volume sizes against a lock file. */
  lockFile: z.boolean(),
  /** The desired state the target applies: topics, principals, tenants, ACLs, quotas. */
  manifest: manifestSchema,
});

/** A parsed cluster model. */
export type ClusterModel = z.output<typeof clusterModelSchema>;
/** What synth writes. */
export type ClusterModelInput = z.input<typeof clusterModelSchema>;
/** One broker of a model. */
export type ModelBroker = z.output<typeof modelBrokerSchema>;
