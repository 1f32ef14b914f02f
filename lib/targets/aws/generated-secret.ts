import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { GeneratedPassword } from "../generated-password";

/** Props of {@link GeneratedSecret}. */
export interface GeneratedSecretProps {
  /** The AWS provider of the cluster. */
  readonly provider: TerraformProvider;
  /** Secret name, e.g. `sluice/events/admin`. */
  readonly secretName: string;
  /** The secret's description in Secrets Manager. */
  readonly description: string;
  /** KMS key of the secret. @default - the account's AWS-managed Secrets Manager key */
  readonly kmsKeyId?: string;
  /** Tags on every resource it creates. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A password generated at deploy time and kept in Secrets Manager, where the brokers read it at boot:
 * it never appears in user data, and plans print it as sensitive.
 */
export class GeneratedSecret extends Construct {
  /** The secret. */
  readonly secret: SecretsmanagerSecret;
  /** The password, a sensitive expression (for sensitive outputs). */
  readonly password: string;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.password = new GeneratedPassword(this, "password").value;
    this.secret = new SecretsmanagerSecret(this, "secret", {
      provider: props.provider,
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyId,
      tags: { ...props.tags },
    });
    new SecretsmanagerSecretVersion(this, "value", {
      provider: props.provider,
      secretId: this.secret.id,
      secretString: this.password,
    });
  }

  /** The secret's ARN. */
  get arn(): string {
    return this.secret.arn;
  }
}
