/** Options of {@link Engine.bundled}. */
export interface BundledEngineOptions {
  /**
   * Base image of the generated Dockerfile (passed as the `BASE_IMAGE` build argument). It must
   * provide `node` (>= 22.19, Sluice's Node.js floor) on the PATH and `/bin/sh`.
   * @default - `node:22-bookworm-slim` (the current official Node.js LTS image)
   */
  readonly baseImage?: string;
  /**
   * Use this prebuilt image instead of bundling the broker at synth (e.g. an image your CI pushed
   * to a registry). When set, no esbuild run and no `docker_image` build happen.
   * @default - the broker is bundled at synth and the image built from that bundle
   */
  readonly prebuiltImage?: string;
}

/** Options of {@link Engine.apacheKafka}. */
export interface ApacheKafkaEngineOptions {
  /** Apache Kafka version, e.g. `3.9.0` (KRaft mode; 3.7.0 or later). */
  readonly version: string;
  /**
   * Image repository; the tag is the version. The image must follow the official `apache/kafka`
   * image's conventions (`KAFKA_*` variables, `CLUSTER_ID`, `/var/lib/kafka/data`), as the one
   * `scripts/kafka/build-image.sh` builds from Maven Central does (`local/apache-kafka`).
   * @default "apache/kafka"
   */
  readonly repository?: string;
  /**
   * Base image of the Sluice image that runs `sluice apply` next to the brokers (built at synth like
   * the bundled broker's). It must provide `node` (>= 22.19, Sluice's Node.js floor) on the PATH and `/bin/sh`.
   * @default - `node:22-bookworm-slim`
   */
  readonly toolBaseImage?: string;
}

/** Which kind of engine runs the brokers. */
export enum EngineKind {
  /** The TypeScript broker that ships with Sluice. */
  BUNDLED = "bundled",
  /** Apache Kafka in KRaft mode. */
  APACHE_KAFKA = "apache-kafka",
}

import { SluiceValidationError } from "./sluice-validation-error";

/** The default base image of the bundled broker: the current official Node.js LTS. */
export const DEFAULT_BASE_IMAGE = "node:22-bookworm-slim";

/**
 * The broker software. An enum-like class: use {@link Engine.bundled} (the default) or
 * {@link Engine.apacheKafka}.
 */
export class Engine {
  /** The Sluice broker, bundled at synth into an image built on the Docker host. Single node. */
  static bundled(options: BundledEngineOptions = {}): Engine {
    return new Engine(EngineKind.BUNDLED, 1, options.baseImage ?? DEFAULT_BASE_IMAGE, {
      prebuiltImage: options.prebuiltImage,
    });
  }

  /**
   * Apache Kafka in KRaft combined mode: on a Docker host every broker is also a controller (an odd
   * number of brokers); on AWS one broker per availability zone is (3 or more brokers over 3 zones).
   */
  static apacheKafka(options: ApacheKafkaEngineOptions): Engine {
    const version = /^(\d+)\.(\d+)\.(\d+)$/.exec(options.version);
    const [major, minor] = [Number(version?.[1]), Number(version?.[2])];
    if (version === null || major < 3 || (major === 3 && minor < 7)) {
      throw new SluiceValidationError(
        "Engine.apacheKafka",
        "version",
        options.version,
        "must be an Apache Kafka release MAJOR.MINOR.PATCH, 3.7.0 or later (KRaft without ZooKeeper), e.g. 3.9.0",
      );
    }
    const repository = options.repository ?? "apache/kafka";
    return new Engine(EngineKind.APACHE_KAFKA, 9, options.toolBaseImage ?? DEFAULT_BASE_IMAGE, {
      prebuiltImage: `${repository}:${options.version}`,
      version: options.version,
    });
  }

  /** The prebuilt image to run, if the image is not built from the bundle. */
  readonly prebuiltImage: string | undefined;
  /** The Apache Kafka version (only for {@link EngineKind.APACHE_KAFKA}). */
  readonly version: string | undefined;

  private constructor(
    /** Which engine this is. */
    readonly kind: EngineKind,
    /** How many brokers this engine supports in one cluster. */
    readonly maxBrokers: number,
    /** Base image of the Sluice image's Dockerfile (the bundled broker, or the apply tool). */
    readonly baseImage: string | undefined,
    extra: { prebuiltImage?: string; version?: string },
  ) {
    this.prebuiltImage = extra.prebuiltImage;
    this.version = extra.version;
  }
}
