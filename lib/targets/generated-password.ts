import { Fn, TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * A random password created once at deploy time and kept in Terraform state: a built-in
 * `terraform_data` resource whose input is `uuid()` (122 random bits), with the input ignored after
 * creation so that the output stays stable. The synthesized JSON holds only the expression.
 *
 * Written instead of cdktf's `DataResource`, whose synth-time validation runs `terraform version`
 * once per instance (seconds for many principals, and a failure where Terraform is not installed).
 * Needs Terraform >= 1.4 (the README requires 1.5).
 */
export class GeneratedPassword extends TerraformResource {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      lifecycle: { ignoreChanges: ["input"] },
    });
  }

  /**
   * The password, as a Terraform expression marked `sensitive()`, so that plans never print it — not
   * even inside the apply container's environment.
   */
  get value(): string {
    return `\${sensitive(${this.fqn}.output.value)}`;
  }

  /** The `terraform_data` input: a `uuid()` generated once (changes to it are ignored). */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: { value: Fn.uuid() } };
  }
}
