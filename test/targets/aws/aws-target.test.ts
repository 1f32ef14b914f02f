import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { VolumeAttachment } from "@cdktf/provider-aws/lib/volume-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../../../lib/constructs/engine";
import { RemovalPolicy } from "../../../lib/constructs/removal-policy";
import { writeClusterLock } from "../../../lib/constructs/sluice-lock";
import type { StreamingCluster } from "../../../lib/constructs/streaming-cluster";
import type { AwsTargetProps } from "../../../lib/targets/aws/aws-target";
import { deriveInstanceType } from "../../../lib/targets/aws/instance-types";
import { removeTempDirs, tempLockFile } from "../../constructs/fixtures";
import { awsCluster, type Resources, resources } from "./fixtures";

afterAll(removeTempDirs);

describe("AwsTarget: compute", () => {
  it("configures the AWS provider for the region", () => {
    expect(awsCluster().synth).toHaveProviderWithProperties(AwsProvider, { region: "eu-west-1" });
  });

  it("runs one hardened instance per broker: IMDSv2 with hop limit 1, encrypted root, no public IP, no SSH key", () => {
    const { synth, json } = awsCluster();
    expect(synth).toHaveResourceWithProperties(Instance, {
      instance_type: "m7i.large",
      associate_public_ip_address: false,
      metadata_options: {
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
      },
      root_block_device: {
        encrypted: true,
        volume_type: "gp3",
        volume_size: 16,
        delete_on_termination: true,
      },
    });
    const [instance] = resources(json, Instance.tfResourceType);
    expect(instance?.["key_name"]).toBeUndefined();
    expect(resources(json, Instance.tfResourceType)).toHaveLength(1);
  });

  it("is reached through SSM Session Manager: the instance role has the SSM core policy", () => {
    expect(awsCluster().synth).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
  });

  it("derives the instance type from the broker's CPUs and memory, plus the OS's share", () => {
    expect(deriveInstanceType(1, 512)?.name).toBe("m7i.large");
    expect(deriveInstanceType(2, 8192)?.name).toBe("r7i.large");
    expect(deriveInstanceType(3, 4096)?.name).toBe("m7i.xlarge");
    expect(deriveInstanceType(64, 512)).toBeUndefined();
    const { synth } = awsCluster({}, { brokerCpus: 2, brokerMemoryMiB: 12 * 1024 });
    expect(synth).toHaveResourceWithProperties(Instance, { instance_type: "r7i.large" });
  });

  it("takes a known instance type that fits", () => {
    const { synth } = awsCluster({ instanceType: "t3.medium" });
    expect(synth).toHaveResourceWithProperties(Instance, { instance_type: "t3.medium" });
  });
});

describe("AwsTarget: storage", () => {
  it("gives each broker an encrypted gp3 data volume of its own, its zone written literally", () => {
    const { synth } = awsCluster(
      { dataVolume: { iops: 6000, throughputMiBps: 250, kmsKeyId: "alias/sluice" } },
      { storageGiB: 100 },
    );
    expect(synth).toHaveResourceWithProperties(EbsVolume, {
      availability_zone: "eu-west-1a",
      size: 100,
      type: "gp3",
      iops: 6000,
      throughput: 250,
      encrypted: true,
      kms_key_id: "alias/sluice",
      lifecycle: { prevent_destroy: true },
    });
    expect(synth).toHaveResourceWithProperties(VolumeAttachment, {
      device_name: "/dev/sdf",
      stop_instance_before_detaching: true,
    });
  });

  it("maps RemovalPolicy.DESTROY to a volume Terraform may destroy", () => {
    const { json } = awsCluster({}, { storageRemovalPolicy: RemovalPolicy.DESTROY });
    const [volume] = resources(json, EbsVolume.tfResourceType);
    expect(volume?.["lifecycle"]).toEqual({ prevent_destroy: false });
  });
});

describe("AwsTarget: client access", () => {
  /** Sources of the rules that open the client port. */
  function clientSources(json: { resource: Resources }) {
    return resources(json, VpcSecurityGroupIngressRule.tfResourceType)
      .filter((r) => r["from_port"] === 9092 && r["to_port"] === 9092)
      .map((r) => r["cidr_ipv4"] ?? r["referenced_security_group_id"]);
  }

  it("opens the client port only to the client security group, the named groups and CIDRs", () => {
    const { json } = awsCluster({
      clientCidrs: ["10.1.0.0/16"],
      clientSecurityGroupIds: ["sg-0123"],
    });
    expect(clientSources(json)).toEqual([
      "10.1.0.0/16",
      expect.stringMatching(/^\$\{aws_security_group\.cluster_aws_clients_[0-9A-F]+\.id\}$/),
      "sg-0123",
    ]);
    expect(json.output["events-client-security-group-id"]).toBeDefined();
    expect(json.output["events-bootstrap-servers"]).toBeDefined();
  });

  it("lets brokers out only to each other, the VPC's endpoints and S3", () => {
    const { json } = awsCluster();
    const egress = resources(json, VpcSecurityGroupEgressRule.tfResourceType);
    expect(egress.map((r) => r["cidr_ipv4"] ?? r["prefix_list_id"] ?? "brokers").sort()).toEqual([
      expect.stringMatching(
        /^\$\{data\.aws_prefix_list\.cluster_aws_s3-prefix-list_[0-9A-F]+\.id\}$/,
      ),
      "10.40.0.0/16",
      "brokers",
    ]);
    for (const r of egress) expect(r["cidr_ipv4"]).not.toBe("0.0.0.0/0");
  });

  it("gives a tenant named in tenantClients a client security group of its own, open to its sources", () => {
    const { json } = awsCluster(
      { tenantClients: { billing: { clientCidrs: ["10.9.0.0/24"] } } },
      {},
      (c) => {
        c.addTenant("billing");
        c.addTenant("audit");
      },
    );
    const groups = resources(json, SecurityGroup.tfResourceType).map((g) => g["name"]);
    expect(groups).toContain("events-billing-clients");
    expect(groups).not.toContain("events-audit-clients");
    expect(clientSources(json)).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.cluster_aws_clients_[0-9A-F]+\.id\}$/),
      "10.9.0.0/24",
      expect.stringMatching(
        /^\$\{aws_security_group\.cluster_tenants_billing_aws_clients_[0-9A-F]+\.id\}$/,
      ),
    ]);
    expect(json.output["events-tenant-billing-client-security-group-id"]).toBeDefined();
    expect(json.output["events-tenant-audit-client-security-group-id"]).toBeUndefined();
  });

  it("opens to 0.0.0.0/0 only with the explicit opt-in", () => {
    const { json } = awsCluster({ clientCidrs: ["0.0.0.0/0"], allowClientsFromAnywhere: true });
    expect(clientSources(json)).toContain("0.0.0.0/0");
  });
});

describe("AwsTarget: artifact, manifest and secrets", () => {
  const withTenant = (c: StreamingCluster) => {
    const orders = c.addTopic("orders", { partitions: 3 });
    c.addTenant("billing").grantProduce(orders);
  };

  it("uploads the broker bundle to a private, encrypted, TLS-only bucket under its content hash", () => {
    const { synth, json } = awsCluster();
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [encryption] = resources(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(JSON.stringify(encryption)).toContain('"sse_algorithm":"AES256"');
    const [policy] = resources(json, S3BucketPolicy.tfResourceType);
    expect(String(policy?.["policy"])).toContain('"aws:SecureTransport":"false"');
    const [object] = resources(json, S3Object.tfResourceType);
    expect(object?.["key"]).toMatch(/^bundles\/[0-9a-f]{64}\.zip$/);
    expect(object?.["source"]).toMatch(/^assets\/.+\.zip$/);
  });

  it("keeps the manifest in SSM Parameter Store: a topic change changes the parameter, not an instance", () => {
    const one = awsCluster({}, {}, (c) => c.addTopic("orders", { partitions: 3 })).json;
    const two = awsCluster({}, {}, (c) => c.addTopic("orders", { partitions: 6 })).json;
    const parameter = resources(two, SsmParameter.tfResourceType).find(
      (p) => p["name"] === "/sluice/events/manifest",
    );
    expect(JSON.parse(String(parameter?.["value"])).topics).toEqual([
      expect.objectContaining({ name: "orders", partitions: 6 }),
    ]);
    expect(resources(two, Instance.tfResourceType)).toEqual(
      resources(one, Instance.tfResourceType),
    );
    expect(resources(two, EbsVolume.tfResourceType)).toEqual(
      resources(one, EbsVolume.tfResourceType),
    );
  });

  it("generates the administrator's and each principal's password into Secrets Manager, outputs sensitive", () => {
    const { json } = awsCluster({}, {}, withTenant);
    expect(
      resources(json, SecretsmanagerSecret.tfResourceType)
        .map((r) => r["name"])
        .sort(),
    ).toEqual(["sluice/events/admin", "sluice/events/principal/billing"]);
    const outputs = json.output as Record<string, { sensitive?: boolean }>;
    expect(outputs["events-admin-password"]?.sensitive).toBe(true);
    expect(outputs["events-tenant-billing-billing-password"]?.sensitive).toBe(true);
    expect(outputs["events-admin-secret-arn"]).toBeDefined();
    // The passwords are terraform_data outputs; no instance attribute (user data included) names one.
    const instances = JSON.stringify(resources(json, Instance.tfResourceType));
    expect(instances).not.toContain("terraform_data");
    expect(instances).not.toContain("sensitive(");
  });

  it("lets the instance role read only its own bundle, manifest and secrets", () => {
    const { json } = awsCluster({}, {}, withTenant);
    const [policy] = resources(json, IamRolePolicy.tfResourceType);
    const document = JSON.parse(String(policy?.["policy"]));
    expect(document.Statement.map((st: { Action: string }) => st.Action)).toEqual([
      "s3:GetObject",
      "ssm:GetParameter",
      "secretsmanager:GetSecretValue",
    ]);
    const resourcesOf = JSON.stringify(
      document.Statement.map((st: { Resource: unknown }) => st.Resource),
    );
    expect(resourcesOf).not.toContain('"*"');
    expect(document.Statement[0].Resource).toMatch(
      /^\$\{aws_s3_bucket\..+\.arn\}\/bundles\/[0-9a-f]{64}\.zip$/,
    );
    expect(document.Statement[2].Resource).toHaveLength(2);
  });
});

describe("AwsTarget: boot", () => {
  it("boots each broker from user data naming its bundle; new broker code replaces the instance", () => {
    const { synth, json } = awsCluster();
    expect(synth).toHaveResourceWithProperties(Instance, { user_data_replace_on_change: true });
    const [instance] = resources(json, Instance.tfResourceType);
    const userData = String(instance?.["user_data"]);
    expect(userData).toMatch(/SLUICE_BUNDLE_KEY='bundles\/[0-9a-f]{64}\.zip'/);
    expect(userData).toContain("SLUICE_MANIFEST_PARAMETER='/sluice/events/manifest'");
    expect(userData).toMatch(/SLUICE_DATA_VOLUME_ID='\$\{aws_ebs_volume\.[^}]+\.id\}'/);
    expect(userData).toContain("exec /usr/local/sbin/sluice-boot");
    // The broker's memory bounds follow its declared memory (default 512 MiB): docs/broker.md.
    expect(userData).toContain("SLUICE_BROKER_MEMORY_MIB='512'");
    expect(userData).toContain("SLUICE_BROKER_HEAP_MIB='256'");
    expect(userData).toContain(`--queued-max-request-bytes'\\'' '\\''${128 * 1024 * 1024}`);
    const newCode = awsCluster(
      {},
      { engine: Engine.bundled({ baseImage: "local/node:test" }) },
    ).json;
    const [replaced] = resources(newCode, Instance.tfResourceType);
    expect(replaced?.["user_data"]).not.toBe(instance?.["user_data"]);
  });

  /** The `--rack` flag in the broker's user data. */
  function rackOf(json: { resource: Resources }) {
    const [instance] = resources(json, Instance.tfResourceType);
    // The flags are quoted twice: as words of SLUICE_BROKER_ARGS, and that value in boot.env.
    return /--rack'\\'' '\\''([^']+)'\\''/.exec(String(instance?.["user_data"]))?.[1];
  }

  it("gives the broker its subnet's availability-zone ID as broker.rack", () => {
    expect(rackOf(awsCluster().json)).toMatch(
      /^\$\{aws_subnet\.aws_network_private-eu-west-1a_[0-9A-F]+\.availability_zone_id\}$/,
    );
  });

  it("takes the rack of an existing subnet as given, or looks its zone ID up", () => {
    const existingVpc = (availabilityZoneId?: string) => ({
      vpcId: "vpc-0abc",
      cidrBlock: "172.31.0.0/16",
      routeTableIds: ["rtb-01"],
      subnets: [{ subnetId: "subnet-01", availabilityZone: "eu-west-1a", availabilityZoneId }],
    });
    expect(rackOf(awsCluster({ network: { existingVpc: existingVpc("euw1-az3") } }).json)).toBe(
      "euw1-az3",
    );
    const looked = awsCluster({ network: { existingVpc: existingVpc() } }).json;
    expect(rackOf(looked)).toMatch(/^\$\{data\.aws_subnet\.[^}]+\.availability_zone_id\}$/);
    expect(
      Object.values((looked as unknown as { data: Resources }).data["aws_subnet"] ?? {}),
    ).toEqual([expect.objectContaining({ id: "subnet-01" })]);
  });

  it("lists each principal's password secret in the credentials parameter, not in user data", () => {
    const { json } = awsCluster({}, {}, (c) => c.addTenant("billing"));
    const credentials = resources(json, SsmParameter.tfResourceType).find(
      (p) => p["name"] === "/sluice/events/credentials",
    );
    expect(Object.keys(JSON.parse(String(credentials?.["value"])))).toEqual([
      "SLUICE_PASSWORD_BILLING_BILLING",
    ]);
    const [instance] = resources(json, Instance.tfResourceType);
    expect(String(instance?.["user_data"])).not.toContain("principal/billing");
  });
});

describe("AwsTarget: bad input", () => {
  it.each([
    [
      { clientCidrs: ["0.0.0.0/0"] },
      {},
      's/aws: clientCidrs.0 = "0.0.0.0/0" is not allowed: opens the brokers to every address; name the clients\' CIDR blocks or security groups, or set allowClientsFromAnywhere: true to mean it',
    ],
    [
      { tenantClients: { billing: { clientCidrs: ["0.0.0.0/0"] } } },
      {},
      's/aws: tenantClients.billing.clientCidrs.0 = "0.0.0.0/0" is not allowed: opens the brokers to every address',
    ],
    [
      { tenantClients: { billing: { clientSecurityGroupIds: ["billing-apps"] } } },
      {},
      's/aws: tenantClients.billing.clientSecurityGroupIds.0 = "billing-apps" is not allowed: must be a security group id',
    ],
    [
      {
        network: {
          existingVpc: {
            vpcId: "vpc-01",
            cidrBlock: "10.0.0.0/16",
            routeTableIds: ["rtb-01"],
            subnets: [
              {
                subnetId: "subnet-01",
                availabilityZone: "eu-west-1a",
                availabilityZoneId: "eu-west-1a",
              },
            ],
          },
        },
      },
      {},
      's/aws/network: existingVpc.subnets.0.availabilityZoneId = "eu-west-1a" is not allowed: must be an availability-zone ID such as euw1-az1',
    ],
    [
      { instanceType: "m9z.huge" },
      {},
      's/aws: instanceType = "m9z.huge" is not allowed: not a known instance type; use one of t3.small,',
    ],
    [
      { instanceType: "t3.small" },
      { brokerMemoryMiB: 2048 },
      's/aws: instanceType = "t3.small" is not allowed: t3.small has 2 vCPUs and 2048 MiB; the broker needs 1 vCPUs and 2048 MiB plus 1024 MiB for the OS. Choose a larger type, e.g. m7i.large',
    ],
    [
      { clientCidrs: ["10.0.0.0/33"] },
      {},
      's/aws: clientCidrs.0 = "10.0.0.0/33" is not allowed: must be an IPv4 CIDR block',
    ],
    [
      { dataVolume: { iops: 100 } },
      {},
      "s/aws: dataVolume.iops = 100 is not allowed: must be 3000-16000",
    ],
    [
      { network: { availabilityZones: ["eu-west-1a"], minAvailabilityZones: 3 } },
      {},
      's/aws/network: availabilityZones = ["eu-west-1a"] is not allowed: must span at least 3 availability zones',
    ],
  ])("refuses %j (cluster %j)", (target, cluster, message) => {
    expect(() => awsCluster(target as Partial<AwsTargetProps>, cluster)).toThrow(message);
  });

  it("refuses a data volume shrink recorded in the lock file, unless acknowledged", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "events", { topics: {}, volumes: { "events-broker-0-data": 200 } });
    expect(() => awsCluster({}, { lockFile, storageGiB: 100 })).toThrow(
      `s/cluster/broker-0/data: sizeGiB = 100 is not allowed: lower than the 200 GiB recorded in ${lockFile}`,
    );
    const { json } = awsCluster({}, { lockFile, storageGiB: 100, allowVolumeShrink: true });
    expect(resources(json, EbsVolume.tfResourceType)[0]?.["size"]).toBe(100);
  });

  it("refuses tenantClients naming no tenant of its clusters", () => {
    expect(() =>
      awsCluster({ tenantClients: { biling: {} } }, {}, (c) => c.addTenant("billing")),
    ).toThrow(
      's/aws: tenantClients.biling = "biling" is not allowed: names no tenant of a cluster on this target; tenants: billing',
    );
  });

  it("refuses a data volume smaller than the tenants' storage limits add up to", () => {
    expect(() =>
      awsCluster({}, { storageGiB: 10 }, (c) => {
        c.addTenant("billing", { storageGiB: 8 });
        c.addTenant("audit", { storageGiB: 4 });
      }),
    ).toThrow(
      "s/cluster: storageGiB = 10 is not allowed: the tenants' storageGiB add up to 12 GiB (billing 8, audit 4), more than each broker's data volume holds",
    );
  });
});
