import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { waitFor } from "./docker-cli";
import { E2ePrerequisiteError } from "./e2e-settings";
import { type CommandResult, runCommand } from "./run-command";

// The pieces of the AWS boot test (test/e2e/aws-boot.test.ts): a Debian "VM" container running
// systemd, a loop device standing in for the EBS volume, an IMDSv2 stand-in inside the VM, and
// moto (S3, Secrets Manager, SSM) on the test's own Docker network.

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "aws-boot");

/**
 * Capabilities of the VM container. Not `--privileged`: this machine's own sandbox withholds
 * CAP_SYS_RESOURCE, which makes runc refuse a privileged container. SYS_ADMIN mounts the volume and
 * lets systemd run as PID 1; NET_ADMIN adds the metadata address; MKNOD and the device rule reach
 * the loop device.
 */
const VM_CAPABILITIES = [
  "--cap-add",
  "SYS_ADMIN",
  "--cap-add",
  "NET_ADMIN",
  "--cap-add",
  "MKNOD",
  "--cap-add",
  "SYS_PTRACE",
  "--cap-add",
  "IPC_LOCK",
  "--security-opt",
  "seccomp=unconfined",
  "--security-opt",
  "apparmor=unconfined",
];

/** What the boot VM stands in for, for test titles. */
export const BOOT_VM =
  "a Debian VM container standing in for Amazon Linux 2023 (its dnf installs of Node.js and Corretto do not run)";

/**
 * Prints the lines of the boot scripts that branch to Amazon Linux's `dnf`: the Debian VM image already
 * has `node` and Java (OpenJDK 17), so those branches are never run here, and the output says so.
 */
export function reportBranchesNotRun(scripts: readonly string[]): void {
  const bootDir = path.resolve(__dirname, "..", "..", "..", "lib", "targets", "aws", "boot");
  for (const script of scripts) {
    fs.readFileSync(path.join(bootDir, script), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.includes("dnf install")) return;
        console.log(
          `not run in the Debian VM (Amazon Linux 2023's branch): ${script}:${i + 1}: ${line.trim()}`,
        );
      });
  }
}

/** The image scripts/e2e/build-boot-vm-image.sh built, and moto's bin directory. */
export function bootTestPrerequisites(): { image: string; motoBin: string } {
  const image = process.env.SLUICE_BOOT_VM_IMAGE;
  const motoBin = process.env.SLUICE_MOTO_BIN;
  if (!image) throw new E2ePrerequisiteError("SLUICE_BOOT_VM_IMAGE is not set");
  if (!motoBin || !fs.existsSync(path.join(motoBin, "moto_server"))) {
    throw new E2ePrerequisiteError("SLUICE_MOTO_BIN does not hold moto_server");
  }
  return { image, motoBin };
}

async function docker(args: readonly string[], okCodes: number[] = [0]): Promise<CommandResult> {
  return runCommand("docker", args, { timeoutMs: 120_000, okCodes });
}

/** A Docker network of the test's own, and the host's address on it (where moto listens). */
export class TestNetwork {
  private constructor(
    readonly name: string,
    readonly gateway: string,
  ) {}

  static async create(): Promise<TestNetwork> {
    const name = `sluice-boot-${randomBytes(4).toString("hex")}`;
    await docker(["network", "create", name]);
    const inspect = await docker([
      "network",
      "inspect",
      "-f",
      "{{(index .IPAM.Config 0).Gateway}}",
      name,
    ]);
    return new TestNetwork(name, inspect.stdout.trim());
  }

  async remove(): Promise<void> {
    await docker(["network", "rm", this.name], [0, 1]);
  }
}

/** moto in server mode on the test network's gateway address. */
export class Moto {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    private readonly python: string,
    readonly region: string,
  ) {}

  static async start(motoBin: string, host: string, region: string): Promise<Moto> {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(path.join(motoBin, "moto_server"), ["-H", host, "-p", String(port)], {
      stdio: "ignore",
    });
    const moto = new Moto(child, `http://${host}:${port}`, path.join(motoBin, "python"), region);
    const up = await waitFor(
      async () => (await fetch(`${moto.endpoint}/moto-api/`)).ok,
      30_000,
      250,
    );
    if (!up) {
      moto.stop();
      throw new Error(`moto did not start on ${moto.endpoint}`);
    }
    return moto;
  }

  /** Creates what `terraform apply` would have (see fixtures/aws-boot/seed-moto.py). */
  async seed(doc: {
    bucket?: string;
    /** Object key → directory uploaded zipped under it (as cdktf's archive assets are). */
    objects?: Record<string, string>;
    secrets?: Record<string, string>;
    parameters?: Record<string, string>;
  }): Promise<{ secretArns: Record<string, string> }> {
    const result = await runCommand(this.python, [path.join(FIXTURES, "seed-moto.py")], {
      input: JSON.stringify({ endpoint: this.endpoint, region: this.region, ...doc }),
      timeoutMs: 120_000,
    });
    return JSON.parse(result.stdout) as { secretArns: Record<string, string> };
  }

  stop(): void {
    this.child.kill("SIGTERM");
  }
}

/** A sparse image file attached to a loop device: the EBS volume. */
export class LoopVolume {
  private constructor(
    readonly file: string,
    readonly device: string,
  ) {}

  static async create(sizeMiB: number): Promise<LoopVolume> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sluice-ebs-")), "volume.img");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, sizeMiB * 1024 * 1024);
    const attached = await runCommand("losetup", ["--find", "--show", file], {
      timeoutMs: 30_000,
    });
    return new LoopVolume(file, attached.stdout.trim());
  }

  /** SHA-256 of the whole volume (to prove a refused boot left it untouched). */
  async checksum(): Promise<string> {
    const result = await runCommand("sha256sum", [this.device], { timeoutMs: 60_000 });
    return result.stdout.split(" ")[0] ?? "";
  }

  async remove(): Promise<void> {
    await runCommand("losetup", ["--detach", this.device], { okCodes: [0, 1] });
    fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
  }
}

/** One "instance": the VM container with its volume attached, booted to systemd. */
export class BootVm {
  private constructor(
    readonly name: string,
    readonly address: string,
  ) {}

  /**
   * Starts the VM with `volume` attached as `/dev/sdf` and named as udev names an EBS volume on a
   * Nitro instance (`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…`), the metadata service
   * stand-in at 169.254.169.254, and the AWS CLI pointed at moto (a wrapper in /usr/local/bin: this
   * Debian's AWS CLI predates AWS_ENDPOINT_URL). Waits for systemd to finish booting.
   */
  static async start(opts: {
    image: string;
    network: TestNetwork;
    volume: LoopVolume;
    volumeId: string;
    moto: Moto;
    zone: string;
  }): Promise<BootVm> {
    const name = `sluice-vm-${randomBytes(4).toString("hex")}`;
    await docker([
      "run",
      "-d",
      "--name",
      name,
      "--hostname",
      name,
      "--network",
      opts.network.name,
      ...VM_CAPABILITIES,
      "--device",
      `${opts.volume.device}:/dev/sdf`,
      "--tmpfs",
      "/run",
      "--tmpfs",
      "/run/lock",
      "--tmpfs",
      "/tmp",
      "-v",
      "/sys/fs/cgroup:/sys/fs/cgroup:rw",
      "-e",
      "container=docker",
      opts.image,
      "/sbin/init",
    ]);
    const inspect = await docker([
      "inspect",
      "-f",
      `{{(index .NetworkSettings.Networks "${opts.network.name}").IPAddress}}`,
      name,
    ]);
    const vm = new BootVm(name, inspect.stdout.trim());
    const booted = await waitFor(
      async () => {
        const r = await vm.exec(["systemctl", "is-system-running"], [0, 1]);
        return ["running", "degraded"].includes(r.stdout.trim());
      },
      60_000,
      500,
    );
    if (!booted) throw new Error(`VM ${name} did not finish booting systemd`);
    const id = opts.volumeId.replace("-", "");
    await vm.exec([
      "bash",
      "-c",
      `mkdir -p /dev/disk/by-id && ln -s /dev/sdf /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${id}`,
    ]);
    await docker(["cp", path.join(FIXTURES, "imds.mjs"), `${name}:/usr/local/lib/imds.mjs`]);
    await vm.exec(["ip", "addr", "add", "169.254.169.254/32", "dev", "lo"]);
    await vm.exec([
      "systemd-run",
      "--unit=imds-standin",
      "/usr/local/bin/node",
      "/usr/local/lib/imds.mjs",
      vm.address,
      `i-${randomBytes(8).toString("hex")}`,
      opts.zone,
    ]);
    const wrapper = [
      "#!/bin/bash",
      "# Test seam: the real AWS CLI, pointed at the boot test's moto server.",
      "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing",
      `exec /usr/bin/aws --endpoint-url ${opts.moto.endpoint} "$@"`,
      "",
    ].join("\n");
    await vm.exec(
      ["bash", "-c", "cat > /usr/local/bin/aws && chmod 0755 /usr/local/bin/aws"],
      [0],
      wrapper,
    );
    return vm;
  }

  /** Runs a command in the VM as root. */
  async exec(
    command: readonly string[],
    okCodes: number[] = [0],
    input?: string,
  ): Promise<CommandResult> {
    return runCommand(
      "docker",
      ["exec", ...(input === undefined ? [] : ["-i"]), this.name, ...command],
      {
        timeoutMs: 300_000,
        okCodes,
        input,
      },
    );
  }

  /** Runs user data as cloud-init does on first boot: once, as root, output to its log. */
  async runUserData(userData: string): Promise<CommandResult> {
    await this.exec(
      [
        "bash",
        "-c",
        "mkdir -p /var/lib/cloud/instance && cat > /var/lib/cloud/instance/user-data.txt",
      ],
      [0],
      userData,
    );
    return this.exec(["bash", "/var/lib/cloud/instance/user-data.txt"], [0, 1, 2]);
  }

  /** The journal of a unit (for assertion messages). */
  async journal(unit: string): Promise<string> {
    const r = await this.exec(["journalctl", "--no-pager", "-n", "80", "-u", unit], [0, 1]);
    return r.stdout;
  }

  /** Stops the instance as EC2 does: a clean shutdown (systemd stops the broker), then gone. */
  async terminate(): Promise<void> {
    await docker(["stop", "-t", "60", this.name], [0, 1]);
    await docker(["rm", "-f", this.name], [0, 1]);
  }
}
