import { randomBytes } from "node:crypto";
import { Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsStack } from "../../apps/aws/aws-stack";
import { DEFAULT_BASE_IMAGE } from "../../lib/constructs/engine";
import { cachedImageBundle } from "../../lib/image/image-bundle";
import {
  BOOT_VM,
  BootVm,
  bootTestPrerequisites,
  LoopVolume,
  Moto,
  reportBranchesNotRun,
  TestNetwork,
} from "./support/aws-boot-vm";
import { waitFor } from "./support/docker-cli";
import {
  type KcatSettings,
  kcatConsume,
  kcatPartitionCounts,
  kcatProduce,
  WRONG_PASSWORD,
} from "./support/kcat";
import { runCommand } from "./support/run-command";
import { bootSetting, applyTerraform as fillIn, synthesizeBoot } from "./support/terraform-standin";

// The EC2 user data apps/aws synthesizes, run for real: in a Debian container booted to systemd
// (the "instance"), with a loop device as its EBS volume, an IMDSv2 stand-in, and S3, Secrets
// Manager and SSM served by moto on a Docker network this test creates. Only `terraform apply` is
// stood in for: the test creates in moto what it would create, and puts the values it would give
// into the user data's Terraform expressions.

const REGION = "eu-west-1";
const ZONE_ID = "euw1-az1";
const VOLUME_ID = `vol-0${randomBytes(8).toString("hex")}`;
const BUCKET = `sluice-artifacts-${randomBytes(4).toString("hex")}`;

interface Synthesized {
  readonly userData: string;
  readonly bundleKey: string;
  readonly parameters: Record<string, string>;
  readonly secretNames: string[];
}

/** The app's Terraform JSON, reduced to what the boot needs. */
function synthesize(): Synthesized {
  const app = synthesizeBoot(new AwsStack(Testing.app(), "sluice-aws"));
  expect(app.userData).toHaveLength(1);
  const userData = app.userData[0] ?? "";
  return { ...app, userData, bundleKey: bootSetting(userData, "SLUICE_BUNDLE_KEY") };
}

/** The values `terraform apply` would give the app's expressions. */
function applyTerraform(text: string, secretArns: Record<string, string>): string {
  return fillIn(text, (type, name, attribute) => {
    const key = `${type}.${attribute}`;
    if (key === "aws_s3_bucket.bucket") return BUCKET;
    if (key === "aws_ebs_volume.id") return VOLUME_ID;
    if (key === "aws_subnet.availability_zone_id") return ZONE_ID;
    if (key === "aws_secretsmanager_secret.arn") return secretArns[name];
    return undefined;
  });
}

const { image, motoBin } = bootTestPrerequisites();
let network: TestNetwork;
let moto: Moto;
let app: Synthesized;
let userData: string;
let adminPassword: string;
const volumes: LoopVolume[] = [];
const vms: BootVm[] = [];

beforeAll(async () => {
  reportBranchesNotRun(["sluice-boot.sh"]);
  app = synthesize();
  network = await TestNetwork.create();
  moto = await Moto.start(motoBin, network.gateway, REGION);
  // The apps/aws stack uses the default engine, so its bundle is the default one.
  const bundle = cachedImageBundle({ baseImage: DEFAULT_BASE_IMAGE });
  expect(app.bundleKey).toBe(`bundles/${bundle.contentHash}.zip`);
  const secrets = Object.fromEntries(
    app.secretNames.map((n) => [n, randomBytes(18).toString("base64url")]),
  );
  const adminSecret = app.secretNames.find((n) => n.includes("admin")) ?? "";
  adminPassword = secrets[adminSecret] ?? "";
  const { secretArns } = await moto.seed({
    bucket: BUCKET,
    objects: { [app.bundleKey]: bundle.contextDir },
    secrets,
  });
  const parameters = Object.fromEntries(
    Object.entries(app.parameters).map(([k, v]) => [k, applyTerraform(v, secretArns)]),
  );
  await moto.seed({ parameters });
  userData = applyTerraform(app.userData, secretArns);
}, 180_000);

afterAll(async () => {
  for (const vm of vms) await vm.terminate().catch(() => undefined);
  for (const v of volumes) await v.remove().catch(() => undefined);
  moto?.stop();
  await network?.remove();
});

function admin(): KcatSettings {
  return {
    "security.protocol": "SASL_PLAINTEXT",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": "sluice-admin",
    "sasl.password": adminPassword,
  };
}

/** Polls the broker's topics (as the administrator) until `check` holds; false after `timeoutMs`. */
function topicsReach(
  bootstrap: string,
  check: (partitionsByTopic: Map<string, number>) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  return waitFor(async () => check(await kcatPartitionCounts(bootstrap, admin())), timeoutMs, 2000);
}

async function bootInstance(volume: LoopVolume) {
  const vm = await BootVm.start({
    image,
    network,
    volume,
    volumeId: VOLUME_ID,
    moto,
    zone: ZONE_ID,
  });
  vms.push(vm);
  const boot = await vm.runUserData(userData);
  return { vm, boot, log: `${boot.stdout}${boot.stderr}` };
}

describe(`AWS boot script, run for real in ${BOOT_VM}`, () => {
  let volume: LoopVolume;
  const records = Array.from({ length: 200 }, (_, i) => `order-${i}`);

  it("first boot formats and mounts the volume; the broker serves kcat over SASL with the secret's password", async () => {
    volume = await LoopVolume.create(512);
    volumes.push(volume);
    const { vm, boot, log } = await bootInstance(volume);
    expect(boot.code, log).toBe(0);
    expect(log).toContain(
      `formatting blank /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace("-", "")}`,
    );
    const mounted = await vm.exec(["findmnt", "-n", "-o", "FSTYPE,SOURCE", "/var/lib/sluice"]);
    expect(mounted.stdout).toMatch(/^xfs\s/);
    const bootstrap = `${vm.address}:9092`;
    // The apply timer (30 s after boot) creates the manifest's topics.
    const applied = await topicsReach(bootstrap, (t) => t.get("orders") === 6, 120_000);
    expect(applied, await vm.journal("sluice-apply.service")).toBe(true);
    await kcatProduce(bootstrap, "orders", records, admin());
    expect((await kcatConsume(bootstrap, "orders", records.length, admin())).sort()).toEqual(
      [...records].sort(),
    );
    // A wrong password is refused.
    await expect(
      kcatPartitionCounts(bootstrap, { ...admin(), "sasl.password": "wrong" }),
    ).rejects.toThrow(WRONG_PASSWORD);
  }, 300_000);

  it("a second instance on the same volume keeps every record and does not reformat", async () => {
    const first = vms.at(-1) as BootVm;
    await first.terminate();
    const { vm, boot, log } = await bootInstance(volume);
    expect(boot.code, log).toBe(0);
    expect(log).toContain("already holds the broker's data (xfs, sluice-data)");
    expect(log).not.toContain("formatting");
    const bootstrap = `${vm.address}:9092`;
    const ready = await topicsReach(bootstrap, (t) => t.get("orders") === 6, 60_000);
    expect(ready, await vm.journal("sluice-broker.service")).toBe(true);
    expect((await kcatConsume(bootstrap, "orders", records.length, admin())).sort()).toEqual(
      [...records].sort(),
    );
  }, 300_000);

  it("applies a manifest change in SSM without restarting the broker", async () => {
    const vm = vms.at(-1) as BootVm;
    const bootstrap = `${vm.address}:9092`;
    const pid = async () =>
      (
        await vm.exec(["systemctl", "show", "-p", "MainPID", "--value", "sluice-broker.service"])
      ).stdout.trim();
    const before = await pid();
    const name = "/sluice/sluice-aws/manifest";
    const manifest = JSON.parse(app.parameters[name] ?? "{}") as { topics: { name: string }[] };
    manifest.topics.push({ ...manifest.topics[0], name: "audit.events" } as { name: string });
    await moto.seed({ parameters: { [name]: JSON.stringify(manifest, null, 2) } });
    // The apply timer runs every minute.
    const applied = await topicsReach(bootstrap, (t) => t.has("audit.events"), 150_000);
    expect(applied, await vm.journal("sluice-apply.service")).toBe(true);
    expect(await pid()).toBe(before);
    const restarts = await vm.exec([
      "systemctl",
      "show",
      "-p",
      "NRestarts",
      "--value",
      "sluice-broker.service",
    ]);
    expect(restarts.stdout.trim()).toBe("0");
  }, 300_000);

  it("refuses a volume that holds a foreign file system label, and leaves it untouched", async () => {
    const foreign = await LoopVolume.create(64);
    volumes.push(foreign);
    await runCommand("mkfs.ext4", ["-q", "-L", "other-data", foreign.device], {
      timeoutMs: 60_000,
    });
    const before = await foreign.checksum();
    const { boot, log } = await bootInstance(foreign);
    expect(boot.code).not.toBe(0);
    expect(log).toContain(
      "holds a foreign file system (ext4, label 'other-data'); refusing to touch it",
    );
    expect(await foreign.checksum()).toBe(before);
  }, 300_000);
});
