/**
 * Reading `cdktf deploy`'s outputs file: it nests outputs by stack and construct ids (not by their
 * Terraform names), e.g. `outputs[stack].cluster.docker["bootstrap-servers"]`.
 */

/** The string output at a construct path below `stack`, or undefined when there is none. */
export function findOutput(outputs: unknown, stack: string, ...ids: string[]): string | undefined {
  let node: unknown = outputs;
  for (const id of [stack, ...ids]) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[id];
  }
  return typeof node === "string" ? node : undefined;
}

/** The string output at a construct path below `stack`; throws naming the path when it is missing. */
export function outputAt(outputs: unknown, stack: string, ...ids: string[]): string {
  const value = findOutput(outputs, stack, ...ids);
  if (value === undefined) throw new Error(`no string output at ${[stack, ...ids].join("/")}`);
  return value;
}

/** Where the generated password of a tenant's principal is (the cluster's construct id `cluster`). */
export function tenantPasswordPath(tenant: string, principal = tenant): string[] {
  return ["cluster", "tenants", tenant, "docker", `password-${principal}-output`];
}

/** Where the generated password of the cluster's administrator is. */
export const ADMIN_PASSWORD_PATH: readonly string[] = [
  "cluster",
  "docker",
  "admin",
  "password-output",
];
