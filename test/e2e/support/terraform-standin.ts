import { type TerraformStack, Testing } from "cdktf";

/** The value `terraform apply` would give an attribute of a resource, or undefined if none. */
export type AttributeValues = (type: string, name: string, attribute: string) => string | undefined;

/**
 * What `terraform apply` does to a value: fills in the resources' attributes, and turns the escapes
 * `$${` and `%%{` back into `${` and `%{`. An expression it has no value for fails.
 */
export function applyTerraform(text: string, values: AttributeValues): string {
  const filled = text.replace(
    /(?<!\$)\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g,
    (whole, type: string, name: string, attribute: string) => {
      const value = values(type, name, attribute);
      if (value === undefined) throw new Error(`no value for ${whole}`);
      return value;
    },
  );
  return filled.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** A stack's Terraform JSON, reduced to what a boot needs. */
export interface SynthesizedBoot {
  /** The instances' user data, in broker order. */
  readonly userData: string[];
  /** SSM parameters: name → value. */
  readonly parameters: Record<string, string>;
  /** The secrets' resource names (as `aws_secretsmanager_secret.<name>.arn` refers to them). */
  readonly secretNames: string[];
  /** The resources of each type: type → name → attributes. */
  readonly resources: Record<string, Record<string, Record<string, unknown>>>;
}

/** Synthesizes `stack` (validations on) and picks out what the boot test stands in for. */
export function synthesizeBoot(stack: TerraformStack): SynthesizedBoot {
  const json = JSON.parse(Testing.synth(stack, true)) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const parameters: Record<string, string> = {};
  for (const p of Object.values(json.resource["aws_ssm_parameter"] ?? {})) {
    parameters[String(p["name"])] = String(p["value"]);
  }
  return {
    userData: Object.values(json.resource["aws_instance"] ?? {}).map((i) => String(i["user_data"])),
    parameters,
    secretNames: Object.keys(json.resource["aws_secretsmanager_secret"] ?? {}),
    resources: json.resource,
  };
}

/** A boot setting (`NAME='value'`) from user data. */
export function bootSetting(userData: string, name: string): string {
  const value = new RegExp(`^${name}='([^']*)'$`, "m").exec(userData)?.[1];
  if (value === undefined) throw new Error(`no ${name} in the user data`);
  return value;
}
