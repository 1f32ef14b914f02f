/**
 * What happens to stored data when its construct is removed from the app (or the stack destroyed).
 */
export enum RemovalPolicy {
  /**
   * Keep the data: the volume is left out of `terraform destroy` (it stays on the host, and a
   * later deploy with the same name reuses it). Removing it takes a manual `docker volume rm`.
   */
  RETAIN = "retain",
  /**
   * Manage the volume with Terraform and refuse any plan that would delete it (`prevent_destroy`):
   * `cdktf destroy` fails loudly until the policy is changed.
   */
  PROTECT = "protect",
  /** Delete the data together with the construct. */
  DESTROY = "destroy",
}
