import * as fs from "node:fs";
import * as path from "node:path";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { AssetType, TerraformAsset, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { SluiceValidationError } from "../../constructs/sluice-validation-error";
import type { BrokerArtifact } from "./broker-artifact";

/** Props of {@link KafkaDistribution}. */
export interface KafkaDistributionProps {
  /** The AWS provider of the cluster. */
  readonly provider: TerraformProvider;
  /** The bucket the broker bundle is in (the instances may read it already). */
  readonly artifact: BrokerArtifact;
  /** The Apache Kafka version the engine names. */
  readonly version: string;
  /** Path to the distribution: `kafka_2.13-<version>.tgz`, or a directory with `libs/`. */
  readonly source: string;
  /** Construct path and field to name in errors. */
  readonly errorPath: string;
  /** Tags on the object. */
  readonly tags: Readonly<Record<string, string>>;
}

/** How the VMs get Apache Kafka: a `.tgz` as it is, or a directory zipped at synth. */
type DistributionFile = { kind: "tgz"; file: string } | { kind: "dir"; dir: string };

/**
 * Apache Kafka on its way to the VMs, next to the broker bundle in the cluster's bucket. The brokers
 * have no internet egress (private subnets, VPC endpoints only), so Kafka cannot be downloaded at
 * boot: synth uploads the distribution the app names — Apache's binary release
 * (`kafka_2.13-<version>.tgz`, verify it against its `.sha512`), or a directory with its jars in
 * `libs/` (what `scripts/kafka/fetch-kafka.sh` assembles from Maven Central). The key names its
 * content hash, so a new distribution is new user data and replaces the instances (volumes stay).
 */
export class KafkaDistribution extends Construct {
  /** The object key, `kafka/<version>-<content hash>.tgz|.zip` (literal). */
  readonly key: string;
  /** The object. */
  readonly object: S3Object;

  constructor(scope: Construct, id: string, props: KafkaDistributionProps) {
    super(scope, id);
    const found = checkDistribution(props.source, props.version, props.errorPath);
    const asset =
      found.kind === "tgz"
        ? new TerraformAsset(this, "distribution", { path: found.file, type: AssetType.FILE })
        : new TerraformAsset(this, "distribution", { path: found.dir, type: AssetType.ARCHIVE });
    const extension = found.kind === "tgz" ? "tgz" : "zip";
    // The asset hashes the content already (cdktf, at construction): its hash names the key.
    this.key = `kafka/${props.version}-${asset.assetHash.toLowerCase().slice(0, 16)}.${extension}`;
    this.object = new S3Object(this, "object", {
      provider: props.provider,
      bucket: props.artifact.bucket.id,
      key: this.key,
      source: asset.path,
      contentType: found.kind === "tgz" ? "application/gzip" : "application/zip",
      tags: { ...props.tags },
    });
  }
}

/** The distribution, checked: it exists and is the version the engine names. */
function checkDistribution(source: string, version: string, errorPath: string): DistributionFile {
  const fail = (allowed: string): never => {
    throw new SluiceValidationError(errorPath, "kafkaDistribution", source, allowed);
  };
  const how = `Apache Kafka ${version}: Apache's kafka_2.13-${version}.tgz (downloads.apache.org/kafka/${version}/, check its .sha512) or a directory with its jars in libs/ (KAFKA_VERSION=${version} scripts/kafka/fetch-kafka.sh prints one)`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    return fail(`no such file or directory; give the path of ${how}`);
  }
  if (stat.isFile()) {
    const name = path.basename(source);
    if (!new RegExp(`^kafka_2\\.1[23]-${version.replace(/\./g, "\\.")}\\.tgz$`).test(name)) {
      fail(
        `a file named kafka_2.13-${version}.tgz (the engine's version); give the path of ${how}`,
      );
    }
    return { kind: "tgz", file: path.resolve(source) };
  }
  const libs = path.basename(source) === "libs" ? source : path.join(source, "libs");
  const jars = fs.existsSync(libs) ? fs.readdirSync(libs) : [];
  if (!jars.some((j) => j === `kafka_2.13-${version}.jar` || j === `kafka_2.12-${version}.jar`)) {
    fail(`a directory whose libs/ holds kafka_2.13-${version}.jar; give the path of ${how}`);
  }
  return { kind: "dir", dir: path.resolve(libs === source ? path.dirname(source) : source) };
}
