import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { AwsNetwork, type AwsNetworkProps } from "../../../lib/targets/aws/aws-network";
import { cidrSubnet, formatIpv4Cidr, parseIpv4Cidr } from "../../../lib/targets/aws/ipv4-cidr";

function network(props: Partial<AwsNetworkProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "s");
  const net = new AwsNetwork(stack, "net", { region: "eu-west-1", ...props });
  return { net, synth: Testing.synth(stack), json: JSON.parse(Testing.synth(stack)) };
}

/** Resources of one type in a synthesized stack. */
function resources(
  json: { resource?: Record<string, Record<string, Record<string, unknown>>> },
  type: string,
) {
  return Object.values(json.resource?.[type] ?? {});
}

describe("AwsNetwork: a new VPC", () => {
  it("has private subnets in three zones of the region, literal CIDRs and zones, no public IPs", () => {
    const { synth, json, net } = network();
    expect(synth).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.40.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
    const subnets = resources(json, Subnet.tfResourceType);
    expect(
      subnets.map((s) => [s["availability_zone"], s["cidr_block"], s["map_public_ip_on_launch"]]),
    ).toEqual([
      ["eu-west-1a", "10.40.0.0/20", false],
      ["eu-west-1b", "10.40.16.0/20", false],
      ["eu-west-1c", "10.40.32.0/20", false],
    ]);
    expect(net.subnets.map((s) => s.availabilityZone)).toEqual([
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1c",
    ]);
  });

  it("has no route to the internet: no internet gateway, no NAT, one private route table without routes", () => {
    const { json } = network();
    expect(resources(json, "aws_internet_gateway")).toEqual([]);
    expect(resources(json, "aws_nat_gateway")).toEqual([]);
    const [routes] = resources(json, RouteTable.tfResourceType);
    expect(routes?.["route"]).toBeUndefined();
  });

  it("reaches SSM, Secrets Manager and S3 through VPC endpoints, HTTPS only from the VPC", () => {
    const { synth, json } = network();
    const endpoints = resources(json, VpcEndpoint.tfResourceType);
    expect(endpoints.map((e) => `${e["service_name"]} ${e["vpc_endpoint_type"]}`).sort()).toEqual([
      "com.amazonaws.eu-west-1.ec2messages Interface",
      "com.amazonaws.eu-west-1.s3 Gateway",
      "com.amazonaws.eu-west-1.secretsmanager Interface",
      "com.amazonaws.eu-west-1.ssm Interface",
      "com.amazonaws.eu-west-1.ssmmessages Interface",
    ]);
    for (const e of endpoints.filter((x) => x["vpc_endpoint_type"] === "Interface")) {
      expect(e["private_dns_enabled"]).toBe(true);
    }
    expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      cidr_ipv4: "10.40.0.0/16",
      from_port: 443,
      to_port: 443,
      ip_protocol: "tcp",
    });
  });

  it("takes its zones and CIDR from props", () => {
    const { json } = network({
      vpcCidr: "10.9.0.0/20",
      availabilityZones: ["eu-west-1b", "eu-west-1c"],
    });
    expect(resources(json, Subnet.tfResourceType).map((s) => s["cidr_block"])).toEqual([
      "10.9.0.0/24",
      "10.9.1.0/24",
    ]);
  });

  it("creates no endpoints when told the VPC has them", () => {
    const { json } = network({ endpoints: false });
    expect(resources(json, VpcEndpoint.tfResourceType)).toEqual([]);
    expect(resources(json, SecurityGroup.tfResourceType)).toEqual([]);
  });
});

describe("AwsNetwork: an existing VPC", () => {
  const existingVpc = {
    vpcId: "vpc-0abc",
    cidrBlock: "172.31.0.0/16",
    subnets: [
      { subnetId: "subnet-01", availabilityZone: "eu-west-1a" },
      { subnetId: "subnet-02", availabilityZone: "eu-west-1b" },
    ],
    routeTableIds: ["rtb-01"],
  };

  it("creates no VPC or subnets, only the endpoints in the given subnets", () => {
    const { json, net } = network({ existingVpc });
    expect(resources(json, Vpc.tfResourceType)).toEqual([]);
    expect(resources(json, Subnet.tfResourceType)).toEqual([]);
    expect(net.vpcId).toBe("vpc-0abc");
    const endpoint = (service: string) =>
      resources(json, VpcEndpoint.tfResourceType).find(
        (e) => e["service_name"] === `com.amazonaws.eu-west-1.${service}`,
      );
    expect(endpoint("ssm")?.["subnet_ids"]).toEqual(["subnet-01", "subnet-02"]);
    expect(endpoint("s3")?.["route_table_ids"]).toEqual(["rtb-01"]);
  });

  it.each([
    [
      { existingVpc: { ...existingVpc, routeTableIds: undefined } },
      "existingVpc.routeTableIds = undefined is not allowed: the subnets' route table ids, for the S3 gateway endpoint; or set endpoints: false when the VPC has its endpoints already",
    ],
    [
      { existingVpc, vpcCidr: "10.0.0.0/16" },
      'vpcCidr = "10.0.0.0/16" is not allowed: only for a new VPC',
    ],
    [
      {
        existingVpc: {
          ...existingVpc,
          subnets: [
            existingVpc.subnets[0],
            { subnetId: "subnet-03", availabilityZone: "eu-west-1a" },
          ],
        },
        minAvailabilityZones: 2,
      },
      'existingVpc.subnets = ["eu-west-1a"] is not allowed: must span at least 2 availability zones',
    ],
  ])("refuses %j", (props, message) => {
    expect(() => network(props as Partial<AwsNetworkProps>)).toThrow(`s/net: ${message}`);
  });
});

describe("AwsNetwork: bad input", () => {
  it.each([
    [
      { region: "Ireland" },
      'region = "Ireland" is not allowed: must be an AWS region such as eu-west-1',
    ],
    [
      { vpcCidr: "10.40.0.1/16" },
      'vpcCidr = "10.40.0.1/16" is not allowed: must be an IPv4 CIDR block from /16 to /24',
    ],
    [
      { vpcCidr: "10.0.0.0/8" },
      'vpcCidr = "10.0.0.0/8" is not allowed: must be an IPv4 CIDR block from /16 to /24',
    ],
    [
      { availabilityZones: ["us-east-1a"] },
      'availabilityZones.0 = "us-east-1a" is not allowed: must be a zone of the region eu-west-1',
    ],
    [
      { availabilityZones: ["eu-west-1a", "eu-west-1a"] },
      'availabilityZones = ["eu-west-1a","eu-west-1a"] is not allowed: must not repeat a zone',
    ],
    [
      { availabilityZones: ["eu-west-1a"], minAvailabilityZones: 3 },
      'availabilityZones = ["eu-west-1a"] is not allowed: must span at least 3 availability zones',
    ],
  ])("refuses %j", (props, message) => {
    expect(() => network(props as Partial<AwsNetworkProps>)).toThrow(`s/net: ${message}`);
  });
});

describe("IPv4 CIDR arithmetic", () => {
  it("splits a block like Terraform's cidrsubnet", () => {
    const vpc = parseIpv4Cidr("10.40.0.0/16");
    if (vpc === undefined) throw new Error("parse failed");
    expect(formatIpv4Cidr(cidrSubnet(vpc, 4, 0))).toBe("10.40.0.0/20");
    expect(formatIpv4Cidr(cidrSubnet(vpc, 4, 15))).toBe("10.40.240.0/20");
    expect(() => cidrSubnet(vpc, 4, 16)).toThrow(RangeError);
  });

  it("refuses malformed blocks and set host bits", () => {
    expect(parseIpv4Cidr("10.40.0.0/33")).toBeUndefined();
    expect(parseIpv4Cidr("256.0.0.0/8")).toBeUndefined();
    expect(parseIpv4Cidr("10.40.0.1/16")).toBeUndefined();
    expect(parseIpv4Cidr("192.168.0.0/16")).toEqual({ address: 0xc0a80000, prefix: 16 });
  });
});
