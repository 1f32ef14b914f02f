import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bootScript, renderUserData, terraformLiteral } from "../../../lib/targets/aws/user-data";

// The boot script runs for real (bash) in a scratch root, with stand-ins for the system tools it
// calls (blkid, mkfs.xfs, mount, aws, curl, …) that record their calls: no EC2 instance, EBS volume
// or AWS API can be reached here. test/e2e/aws-boot.test.ts runs the generated user data for real.

const SCRIPT = path.resolve(__dirname, "../../../lib/targets/aws/boot/sluice-boot.sh");
const VOLUME_ID = "vol-0abc123";
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A stand-in command that logs its arguments, then runs `body`. */
function stub(dir: string, name: string, body = "") {
  fs.writeFileSync(
    path.join(dir, name),
    `#!/bin/bash\necho "${name} $*" >> "$STUB_LOG"\n${body}\n`,
    { mode: 0o755 },
  );
}

interface Volume {
  /** What blkid reports; undefined = a blank volume. */
  readonly fsType?: string;
  readonly label?: string;
  /** Signatures wipefs sees without a file system (e.g. a partition table). */
  readonly signatures?: boolean;
  /** Attached at all. */
  readonly attached?: boolean;
  /** blkid cannot read the device (an I/O error). */
  readonly unreadable?: boolean;
}

/** An Apache Kafka broker's boot (SLUICE_ENGINE=apache-kafka), with what Secrets Manager holds. */
interface KafkaBootCase {
  readonly adminPassword?: string;
  readonly adminSecret?: boolean;
}

const KAFKA_TEMPLATE = [
  "node.id=0",
  "log.dirs=/var/lib/sluice/kafka",
  'listener.name.internal.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="sluice-admin" password="@ADMIN_PASSWORD@" user_sluice-admin="@ADMIN_PASSWORD@";',
].join("\n");

/** Runs the boot script against a scratch root with the given volume; returns status, output, calls. */
function boot(volume: Volume, kafka?: KafkaBootCase) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-boot-"));
  roots.push(root);
  const bin = path.join(root, "stub-bin");
  const dev = path.join(root, "dev");
  for (const dir of [
    bin,
    `${dev}/disk/by-id`,
    `${root}/etc/sluice`,
    `${root}/etc/systemd/system`,
  ]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  if (volume.attached !== false) {
    fs.writeFileSync(`${dev}/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc123`, "");
  }
  const env = [
    "SLUICE_REGION='eu-west-1'",
    "SLUICE_CLUSTER='events'",
    "SLUICE_NODE_ID='0'",
    "SLUICE_BUCKET='events-sluice-123'",
    "SLUICE_BUNDLE_KEY='bundles/abc.zip'",
    `SLUICE_DATA_VOLUME_ID='${VOLUME_ID}'`,
    "SLUICE_DATA_DIR='/var/lib/sluice'",
    "SLUICE_MANIFEST_PARAMETER='/sluice/events/manifest'",
    "SLUICE_CREDENTIALS_PARAMETER='/sluice/events/credentials'",
    "SLUICE_ADMIN_SECRET_ARN='arn:aws:secretsmanager:eu-west-1:1:secret:sluice/events/admin'",
    "SLUICE_BROKER_ARGS=\"'--node-id' '0' '--advertised-listeners' 'SASL_PLAINTEXT://@PRIVATE_IP@:9092'\"",
    "SLUICE_APPLY_ARGS='--bootstrap 127.0.0.1:9092'",
    "SLUICE_BROKER_MEMORY_MIB='1024'",
    "SLUICE_BROKER_HEAP_MIB='512'",
  ];
  if (kafka !== undefined) {
    if (kafka.adminSecret === false)
      env.splice(
        env.findIndex((e) => e.startsWith("SLUICE_ADMIN_")),
        1,
      );
    env.push(
      "SLUICE_ENGINE='apache-kafka'",
      "SLUICE_KAFKA_KEY='kafka/4.1.1-0123456789abcdef.tgz'",
      "SLUICE_KAFKA_CLUSTER_ID='hiQXuefDcgvLMmPNhzsJiQ'",
      "SLUICE_KAFKA_HEAP_MIB='614'",
      "SLUICE_KAFKA_PROPERTIES='/etc/sluice/kafka.properties'",
    );
    fs.writeFileSync(`${root}/etc/sluice/kafka.properties`, `${KAFKA_TEMPLATE}\n`);
  }
  fs.writeFileSync(`${root}/etc/sluice/boot.env`, `${env.join("\n")}\n`);
  stub(
    bin,
    "blkid",
    // blkid exits 2 when the device has no file system to report.
    volume.unreadable
      ? "exit 4"
      : volume.fsType === undefined
        ? 'case "$*" in *UUID*) echo 1234-uuid;; *) exit 2;; esac'
        : `case "$*" in *TYPE*) echo "${volume.fsType}";; *LABEL*) echo "${volume.label ?? ""}";; *UUID*) echo 1234-uuid;; esac`,
  );
  stub(bin, "wipefs", volume.signatures ? 'echo "0x1fe,dos,55aa"' : "");
  stub(bin, "mkfs.xfs");
  stub(bin, "mountpoint", "exit 1");
  stub(bin, "mount");
  stub(bin, "useradd");
  stub(bin, "id", "exit 0");
  stub(bin, "install", 'for a in "$@"; do last="$a"; done; mkdir -p "$last"');
  stub(bin, "chown");
  stub(bin, "unzip");
  stub(bin, "dnf");
  stub(bin, "systemctl");
  stub(bin, "sleep");
  const password = kafka?.adminPassword ?? "admin-s3cret";
  // `aws s3 cp SRC DEST` leaves a file at DEST; Apache's release unpacks to kafka_2.13-<v>/libs.
  stub(bin, "aws", `case "$1" in secretsmanager) echo '${password}';; s3) : > "\${@: -1}";; esac`);
  stub(
    bin,
    "tar",
    'prev=""; for a in "$@"; do [ "$prev" = "-C" ] && mkdir -p "$a/kafka_2.13-4.1.1/libs"; prev="$a"; done',
  );
  stub(bin, "java");
  stub(bin, "runuser");
  stub(bin, "chgrp");
  stub(bin, "curl", 'case "$*" in *api/token*) echo TOKEN;; *local-ipv4*) echo 10.40.1.23;; esac');
  const log = path.join(root, "calls.log");
  const result = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      SLUICE_ROOT: root,
      SLUICE_DEV_DIR: dev,
      SLUICE_WAIT_SECONDS: "10",
      SLUICE_KAFKA_SCRIPT: path.resolve(__dirname, "../../../lib/targets/aws/boot/sluice-kafka.sh"),
      STUB_LOG: log,
    },
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  const read = (file: string) =>
    fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : "";
  return { status: result.status, stderr: result.stderr, calls, read, root };
}

describe("the boot script", () => {
  it("formats a blank data volume (found by its NVMe id), mounts it by UUID, installs hardened units", () => {
    const run = boot({});
    expect(run.stderr).toContain(`data volume ${VOLUME_ID} is `);
    expect(run.status).toBe(0);
    expect(run.calls).toContainEqual(
      expect.stringMatching(
        /^mkfs\.xfs -q -L sluice-data .*nvme-Amazon_Elastic_Block_Store_vol0abc123$/,
      ),
    );
    expect(run.read("etc/fstab")).toBe(
      "UUID=1234-uuid /var/lib/sluice xfs defaults,nofail,noatime 0 2\n",
    );
    const unit = [
      run.read("etc/systemd/system/sluice-broker.service"),
      run.read("etc/systemd/system/sluice-broker.service.d/hardening.conf"),
    ].join("");
    for (const line of [
      "User=sluice",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
      "ReadWritePaths=/var/lib/sluice",
      "MemoryMax=1024M",
      "Environment=NODE_OPTIONS=--max-old-space-size=512",
      "Restart=on-failure",
      "EnvironmentFile=/etc/sluice/broker.env",
      "RequiresMountsFor=/var/lib/sluice",
    ]) {
      expect(unit).toContain(`${line}\n`);
    }
    // The instance's private address, read from IMDSv2, is what the broker advertises.
    expect(unit).toContain("'SASL_PLAINTEXT://10.40.1.23:9092'");
    expect(run.read("etc/systemd/system/sluice-apply.timer")).toContain("OnUnitActiveSec=60s");
    expect(run.read("etc/sluice/broker.env")).toBe("SLUICE_ADMIN_PASSWORD=admin-s3cret\n");
    expect(run.calls).toContainEqual(
      expect.stringMatching(
        /^aws s3 cp --region eu-west-1 --only-show-errors s3:\/\/events-sluice-123\/bundles\/abc\.zip \S+\/opt\/sluice\/abc\.zip$/,
      ),
    );
  });

  it("keeps a volume that already holds the broker's data: no format", () => {
    const run = boot({ fsType: "xfs", label: "sluice-data" });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith("mkfs"))).toEqual([]);
    expect(run.stderr).toContain("already holds the broker's data");
  });

  it("refuses a volume with a foreign file system, and formats nothing", () => {
    const run = boot({ fsType: "ext4", label: "home" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "holds a foreign file system (ext4, label 'home'); refusing to touch it",
    );
    expect(run.calls.filter((c) => c.startsWith("mkfs") || c.startsWith("mount"))).toEqual([]);
  });

  it("refuses a volume with signatures but no file system (e.g. a partition table)", () => {
    const run = boot({ signatures: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("has signatures but no file system; refusing to format it");
    expect(run.calls.filter((c) => c.startsWith("mkfs"))).toEqual([]);
  });

  it("stops, formatting nothing, when blkid cannot read the volume", () => {
    const run = boot({ unreadable: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("blkid failed on");
    expect(run.calls.filter((c) => c.startsWith("mkfs"))).toEqual([]);
  });

  it("gives up, clearly, when the volume is never attached", () => {
    const run = boot({ attached: false });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`data volume ${VOLUME_ID} not attached after 10s`);
  });
});

describe("the boot script of an Apache Kafka broker", () => {
  it("installs Kafka from the bucket, writes its settings with the secret's password, formats once", () => {
    const run = boot({}, {});
    expect(run.stderr).toContain("Apache Kafka 4.1.1-0123456789abcdef installed for broker 0");
    expect(run.status).toBe(0);
    expect(run.calls).toContainEqual(
      expect.stringMatching(
        /^aws s3 cp --region eu-west-1 --only-show-errors s3:\/\/events-sluice-123\/kafka\/4\.1\.1-0123456789abcdef\.tgz \S+$/,
      ),
    );
    // Unpacked once, under its key's name; `current` points at it.
    expect(fs.existsSync(path.join(run.root, "opt/kafka/4.1.1-0123456789abcdef/libs"))).toBe(true);
    expect(fs.readlinkSync(path.join(run.root, "opt/kafka/current"))).toMatch(
      /opt\/kafka\/4\.1\.1-0123456789abcdef$/,
    );
    const properties = run.read("etc/kafka/server.properties");
    expect(properties).toBe(`${KAFKA_TEMPLATE.replaceAll("@ADMIN_PASSWORD@", "admin-s3cret")}\n`);
    expect(fs.statSync(path.join(run.root, "etc/kafka/server.properties")).mode & 0o777).toBe(
      0o640,
    );
    expect(run.calls).toContainEqual(
      expect.stringMatching(
        /^runuser -u kafka -- \S*java .* kafka\.tools\.StorageTool format --cluster-id hiQXuefDcgvLMmPNhzsJiQ --config \S+\/etc\/kafka\/server\.properties --ignore-formatted$/,
      ),
    );
    const unit = [
      run.read("etc/systemd/system/kafka.service"),
      run.read("etc/systemd/system/kafka.service.d/hardening.conf"),
    ].join("");
    for (const line of [
      "User=kafka",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "CapabilityBoundingSet=",
      "ReadWritePaths=/var/lib/sluice",
      "MemoryMax=1024M",
      "RequiresMountsFor=/var/lib/sluice",
      "SuccessExitStatus=143",
    ]) {
      expect(unit).toContain(`${line}\n`);
    }
    expect(unit).toMatch(
      /^ExecStart=\S*java -Xms614m -Xmx614m .* -cp \/opt\/kafka\/current\/libs\/\* kafka\.Kafka \/etc\/kafka\/server\.properties$/m,
    );
    // `sluice apply` next to Kafka: the timer's unit follows Kafka's, and no Sluice broker unit.
    expect(run.read("etc/systemd/system/sluice-apply.service")).toContain(
      "Requires=kafka.service\n",
    );
    expect(run.read("etc/systemd/system/sluice-broker.service")).toBe("");
  });

  it("refuses an administrator's secret a JAAS setting cannot hold, writing no settings", () => {
    const run = boot({}, { adminPassword: 'pa"ss' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "the administrator's secret holds characters a JAAS setting cannot take",
    );
    expect(run.read("etc/kafka/server.properties")).toBe("");
    expect(run.read("etc/systemd/system/kafka.service")).toBe("");
  });

  it("stops when the settings need a password but no secret is named", () => {
    const run = boot({}, { adminSecret: false });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "needs the administrator's password but SLUICE_ADMIN_SECRET_ARN is empty",
    );
  });
});

describe("the user data", () => {
  /** A Terraform expression, as cdktf renders a token. */
  const tf = (expr: string) => `$\{${expr}}`;
  const settings = {
    SLUICE_REGION: "eu-west-1",
    SLUICE_CLUSTER: "events",
    SLUICE_NODE_ID: "0",
    SLUICE_BUCKET: tf("aws_s3_bucket.b.bucket"),
    SLUICE_BUNDLE_KEY: "bundles/abc.zip",
    SLUICE_DATA_VOLUME_ID: tf("aws_ebs_volume.v.id"),
    SLUICE_DATA_DIR: "/var/lib/sluice",
    SLUICE_MANIFEST_PARAMETER: "/sluice/events/manifest",
    SLUICE_CREDENTIALS_PARAMETER: "/sluice/events/credentials",
    SLUICE_ADMIN_SECRET_ARN: "",
    SLUICE_BROKER_ARGS: "'--node-id' '0'",
    SLUICE_APPLY_ARGS: "--bootstrap 127.0.0.1:9092",
    SLUICE_BROKER_MEMORY_MIB: "1024",
    SLUICE_BROKER_HEAP_MIB: "512",
  };

  it("writes the settings, then both scripts, escaped for Terraform, and runs the boot script", () => {
    const text = renderUserData(settings);
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
    expect(text).toContain(`SLUICE_BUCKET='${tf("aws_s3_bucket.b.bucket")}'\n`);
    expect(text.trimEnd().endsWith("exec /usr/local/sbin/sluice-boot")).toBe(true);
    // Terraform turns `$${` back into `${`: the instance gets the scripts byte for byte.
    const unescaped = text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    expect(unescaped).toContain(bootScript("boot").trimEnd());
    expect(unescaped).toContain(bootScript("apply").trimEnd());
    expect(terraformLiteral(bootScript("boot"))).not.toMatch(/(^|[^$])\$\{/);
  });

  it("is a shell script bash accepts", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sluice-ud-")), "user-data.sh");
    roots.push(path.dirname(file));
    fs.writeFileSync(file, renderUserData(settings).replace(/\$\$\{/g, "${"));
    expect(spawnSync("bash", ["-n", file]).status).toBe(0);
  });
});
