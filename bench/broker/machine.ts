/** What the results were measured on. */
import { execSync } from "node:child_process";
import * as os from "node:os";

/** What every benchmark records about the machine it ran on. */
export interface BaseMachineInfo {
  readonly nproc: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  /** Device and filesystem of the directory the benchmark writes to. */
  readonly disk: string;
  readonly node: string;
}

/** Machine description stored with the broker benchmark's results. */
export interface MachineInfo extends BaseMachineInfo {
  readonly java: string;
  readonly kafka: string;
  readonly kcat: string;
}

/** Runs a shell command for a version or device string; its output (or "unknown") either way. */
export function sh(cmd: string): string {
  try {
    return execSync(cmd, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 20_000,
    }).trim();
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}`.trim() || "unknown";
  }
}

/** nproc, CPU model, memory, kernel, the disk under `dir` and the Node version. */
export function baseMachineInfo(dir: string): BaseMachineInfo {
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    disk: sh(`df -hT ${dir} | tail -1 | awk '{print $1" "$2" "$3}'`),
    node: process.version,
  };
}

/** {@link baseMachineInfo} plus the Java, Kafka and kcat versions. */
export async function machineInfo(dir: string, kafkaLibs: string): Promise<MachineInfo> {
  const jar = sh(`ls ${kafkaLibs} | grep -o '^kafka_2.13-[0-9.]*\\.jar$' | head -1`);
  return {
    ...baseMachineInfo(dir),
    java: sh("java -version 2>&1 | head -1"),
    kafka: jar.replace(/^kafka_2\.13-/, "").replace(/\.jar$/, ""),
    kcat: sh("kcat -V 2>&1 | grep -o 'Version [0-9.]*\\|librdkafka [0-9.]*' | tr '\\n' ' '"),
  };
}
