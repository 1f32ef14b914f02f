import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { AssetType, TerraformAsset, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { cachedImageBundle } from "../../image/image-bundle";

/** Props of {@link BrokerArtifact}. */
export interface BrokerArtifactProps {
  /** The AWS provider of the cluster. */
  readonly provider: TerraformProvider;
  /** Cluster name: prefixes the bucket name. */
  readonly clusterName: string;
  /** Base image of the bundle's Dockerfile (part of the content hash, as on Docker). */
  readonly baseImage: string;
  /** KMS key for the bucket's default encryption. @default - SSE-S3 (AES-256) */
  readonly kmsKeyId?: string;
  /** Tags on every resource it creates. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The broker bundle on its way to the VMs: the same build context the Docker target builds its image
 * from (esbuild bundle, launch scripts; content-hashed at synth), zipped and uploaded to a private,
 * encrypted, TLS-only S3 bucket under a key named by that hash. A new broker version is a new key;
 * the instances' boot script names the key, so a code change replaces the instances, and nothing
 * else does.
 */
export class BrokerArtifact extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** The bundle's object. */
  readonly object: S3Object;
  /** The object key, `bundles/<content hash>.zip` (literal). */
  readonly key: string;
  /** The bundle's content hash. */
  readonly contentHash: string;

  constructor(scope: Construct, id: string, props: BrokerArtifactProps) {
    super(scope, id);
    const provider = props.provider;
    const bundle = cachedImageBundle({ baseImage: props.baseImage });
    this.contentHash = bundle.contentHash;
    this.key = `bundles/${bundle.contentHash}.zip`;
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucketPrefix: `${props.clusterName.slice(0, 30)}-sluice-`,
      // Holds only bundles that synth recreates: nothing to keep when the cluster goes.
      forceDestroy: true,
      tags: { ...props.tags },
    });
    new S3BucketPublicAccessBlock(this, "public-access", {
      provider,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault:
            props.kmsKeyId === undefined
              ? { sseAlgorithm: "AES256" }
              : { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyId },
          bucketKeyEnabled: props.kmsKeyId !== undefined,
        },
      ],
    });
    new S3BucketPolicy(this, "tls-only", {
      provider,
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyPlainHttp",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
    const asset = new TerraformAsset(this, "bundle", {
      path: bundle.contextDir,
      type: AssetType.ARCHIVE,
    });
    this.object = new S3Object(this, "object", {
      provider,
      bucket: this.bucket.id,
      key: this.key,
      source: asset.path,
      contentType: "application/zip",
      tags: { ...props.tags },
    });
  }

  /** The object's ARN, for the instance role's policy. */
  get objectArn(): string {
    return `${this.bucket.arn}/${this.key}`;
  }
}
