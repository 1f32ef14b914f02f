import { Construct } from "constructs";
import { z } from "zod";
import { defaultResourceName } from "./broker-network";
import { RemovalPolicy } from "./removal-policy";
import { validateProps } from "./validate-props";

/** Props of {@link StorageVolume}. */
export interface StorageVolumeProps {
  /**
   * Name of the volume on the host. Changing it creates a new, empty volume.
   * @default - derived from the construct path
   */
  readonly volumeName?: string;
  /**
   * Declared size, in GiB: the broker's storage budget, counted against the host's declared storage.
   * Shrinking it is refused at synth unless {@link allowVolumeShrink} is set.
   * @default 10
   */
  readonly sizeGiB?: number;
  /**
   * What happens to the data when the volume leaves the app or the stack is destroyed.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Acknowledge that this synth lowers the size recorded in the lock file.
   * @default false
   */
  readonly allowVolumeShrink?: boolean;
}

const volumePropsSchema = z
  .object({
    volumeName: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, {
      error:
        "must be 1-63 characters of a-z, A-Z, 0-9, '_', '.' or '-', starting with a letter or digit",
    }),
    sizeGiB: z.number({ error: "must be a number of GiB" }).positive({ error: "must be > 0 GiB" }),
    removalPolicy: z.enum(RemovalPolicy, {
      error: "must be RemovalPolicy.RETAIN, RemovalPolicy.PROTECT or RemovalPolicy.DESTROY",
    }),
    allowVolumeShrink: z.boolean({ error: "must be true or false" }),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/** A broker's data volume. It outlives container replacement; with RETAIN it outlives the stack too. */
export class StorageVolume extends Construct {
  /** Name of the volume on the host. */
  readonly volumeName: string;
  /** Declared size in GiB. */
  readonly sizeGiB: number;
  /** What happens to the data on removal. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether a shrink against the lock file is acknowledged. */
  readonly allowVolumeShrink: boolean;

  constructor(scope: Construct, id: string, props: StorageVolumeProps = {}) {
    super(scope, id);
    const volumeName = props.volumeName ?? defaultResourceName(this);
    validateProps(this, volumePropsSchema, { ...props, volumeName });
    this.volumeName = volumeName;
    this.sizeGiB = props.sizeGiB ?? 10;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.allowVolumeShrink = props.allowVolumeShrink ?? false;
  }
}
