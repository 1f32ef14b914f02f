import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { SluiceValidationError } from "../../constructs/sluice-validation-error";
import { validateProps } from "../../constructs/validate-props";
import { cidrSubnet, formatIpv4Cidr, parseIpv4Cidr } from "./ipv4-cidr";

/** An existing subnet, by id, with its availability zone written literally (volumes need it). */
export interface ExistingSubnet {
  /** Subnet id, `subnet-…`. */
  readonly subnetId: string;
  /** Its availability zone name, e.g. `eu-west-1a`. */
  readonly availabilityZone: string;
  /**
   * Its availability-zone ID, e.g. `euw1-az1` (the brokers' `broker.rack`; the same physical zone in
   * every account, unlike the name).
   * @default - looked up by the subnet id at plan time
   */
  readonly availabilityZoneId?: string;
}

/** An existing VPC the brokers join instead of a new one. */
export interface ExistingVpc {
  /** VPC id, `vpc-…`. */
  readonly vpcId: string;
  /** Its IPv4 CIDR block (the endpoints accept HTTPS from it). */
  readonly cidrBlock: string;
  /** Private subnets for the brokers, at least one per availability zone used. */
  readonly subnets: readonly ExistingSubnet[];
  /**
   * Route tables of those subnets, for the S3 gateway endpoint.
   * @default - required when `endpoints` is true
   */
  readonly routeTableIds?: readonly string[];
}

/** Props of {@link AwsNetwork}. */
export interface AwsNetworkProps {
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The AWS provider its resources use.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * CIDR block of a new VPC (a /16 to /24); each availability zone gets a private subnet of it.
   * @default "10.40.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Availability zones of a new VPC's subnets, by name.
   * @default - the region's zones a, b and c
   */
  readonly availabilityZones?: readonly string[];
  /**
   * Join an existing VPC and its subnets instead of creating one.
   * @default - a new VPC
   */
  readonly existingVpc?: ExistingVpc;
  /**
   * Create VPC endpoints for SSM (Session Manager), Secrets Manager and S3, so brokers need no
   * internet egress. Turn off only when the VPC already has them.
   * @default true
   */
  readonly endpoints?: boolean;
  /**
   * How many availability zones the subnets must span at least.
   * @default 1
   */
  readonly minAvailabilityZones?: number;
}

/** A private subnet the network offers brokers. */
export interface AwsSubnet {
  /** Subnet id (a token for a new subnet). */
  readonly subnetId: string;
  /** Availability zone name, literal. */
  readonly availabilityZone: string;
  /** Availability-zone ID (`euw1-az1`), a token unless given: the brokers' rack. */
  readonly availabilityZoneId: string;
}

/** Interface endpoints that keep brokers off the internet: Session Manager and Secrets Manager. */
export const INTERFACE_ENDPOINT_SERVICES: readonly string[] = [
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
];

const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

const networkPropsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {
      error: "must be an AWS region such as eu-west-1",
    }),
    vpcCidr: z.string().refine((c) => {
      const cidr = parseIpv4Cidr(c);
      return cidr !== undefined && cidr.prefix >= 16 && cidr.prefix <= 24;
    }, "must be an IPv4 CIDR block from /16 to /24 with its host bits zero, e.g. 10.40.0.0/16"),
    availabilityZones: z
      .array(
        z
          .string()
          .regex(AZ_NAME, { error: "must be an availability zone name such as eu-west-1a" }),
      )
      .min(1, { error: "must name at least one availability zone" })
      .refine((zones) => new Set(zones).size === zones.length, "must not repeat a zone"),
    existingVpc: z
      .object({
        vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, { error: "must be a VPC id, vpc-…" }),
        cidrBlock: z
          .string()
          .refine((c) => parseIpv4Cidr(c) !== undefined, "must be an IPv4 CIDR block"),
        subnets: z
          .array(
            z
              .object({
                subnetId: z
                  .string()
                  .regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id, subnet-…" }),
                availabilityZone: z.string().regex(AZ_NAME, {
                  error: "must be an availability zone name such as eu-west-1a",
                }),
                availabilityZoneId: z.string().regex(/^[a-z]{2,5}\d-az\d+$/, {
                  error: "must be an availability-zone ID such as euw1-az1",
                }),
              })
              .partial({ availabilityZoneId: true }),
          )
          .min(1, { error: "must list at least one subnet" }),
        routeTableIds: z.array(
          z.string().regex(/^rtb-[0-9a-f]+$/, { error: "must be a route table id, rtb-…" }),
        ),
      })
      .partial({ routeTableIds: true }),
    endpoints: z.boolean(),
    minAvailabilityZones: z.number().int().min(1).max(6),
  })
  .partial();

/**
 * The network brokers run in: private subnets across availability zones with no route to the
 * internet, and VPC endpoints for SSM, Secrets Manager and S3 — a new VPC, or an existing one by id.
 */
export class AwsNetwork extends Construct {
  /** The VPC id. */
  readonly vpcId: string;
  /** The VPC's CIDR block. */
  readonly cidrBlock: string;
  /** Private subnets, one per availability zone (or as given). */
  readonly subnets: readonly AwsSubnet[];
  /** The security group of the interface endpoints (HTTPS from the VPC). */
  readonly endpointSecurityGroup: SecurityGroup | undefined;

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    validateProps(this, networkPropsSchema, props);
    const existing = props.existingVpc;
    if (
      existing !== undefined &&
      (props.vpcCidr !== undefined || props.availabilityZones !== undefined)
    ) {
      throw new SluiceValidationError(
        this.node.path,
        props.vpcCidr !== undefined ? "vpcCidr" : "availabilityZones",
        props.vpcCidr ?? props.availabilityZones,
        "only for a new VPC; an existing VPC's subnets name their own zones (existingVpc.subnets)",
      );
    }
    const provider = props.provider;
    const zones =
      existing?.subnets.map((s) => s.availabilityZone) ??
      props.availabilityZones ??
      ["a", "b", "c"].map((z) => `${props.region}${z}`);
    for (const [i, zone] of zones.entries()) {
      if (!zone.startsWith(props.region)) {
        throw new SluiceValidationError(
          this.node.path,
          existing === undefined
            ? `availabilityZones.${i}`
            : `existingVpc.subnets.${i}.availabilityZone`,
          zone,
          `must be a zone of the region ${props.region}`,
        );
      }
    }
    const minZones = props.minAvailabilityZones ?? 1;
    const distinct = new Set(zones).size;
    if (distinct < minZones) {
      throw new SluiceValidationError(
        this.node.path,
        existing === undefined ? "availabilityZones" : "existingVpc.subnets",
        [...new Set(zones)],
        `must span at least ${minZones} availability zones (one per broker rack); add subnets in other zones`,
      );
    }

    let routeTableIds: string[];
    if (existing === undefined) {
      this.cidrBlock = props.vpcCidr ?? "10.40.0.0/16";
      const vpc = new Vpc(this, "vpc", {
        provider,
        cidrBlock: this.cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: this.node.path },
      });
      this.vpcId = vpc.id;
      // Private only: no internet gateway and no NAT; AWS services are reached through endpoints.
      const routeTable = new RouteTable(this, "private-routes", {
        provider,
        vpcId: vpc.id,
        tags: { Name: `${this.node.path}/private` },
      });
      const cidr = parseIpv4Cidr(this.cidrBlock);
      if (cidr === undefined) throw new Error("unreachable: vpcCidr was validated");
      this.subnets = zones.map((zone, i) => {
        const subnet = new Subnet(this, `private-${zone}`, {
          provider,
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: formatIpv4Cidr(cidrSubnet(cidr, 4, i)),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${this.node.path}/private-${zone}` },
        });
        new RouteTableAssociation(this, `private-${zone}-routes`, {
          provider,
          subnetId: subnet.id,
          routeTableId: routeTable.id,
        });
        return {
          subnetId: subnet.id,
          availabilityZone: zone,
          availabilityZoneId: subnet.availabilityZoneId,
        };
      });
      routeTableIds = [routeTable.id];
    } else {
      this.vpcId = existing.vpcId;
      this.cidrBlock = existing.cidrBlock;
      this.subnets = existing.subnets.map((s, i) => ({
        subnetId: s.subnetId,
        availabilityZone: s.availabilityZone,
        // Zone names map to different physical zones per account; the ID is what racks must share.
        availabilityZoneId:
          s.availabilityZoneId ??
          new DataAwsSubnet(this, `existing-subnet-${i}`, { provider, id: s.subnetId })
            .availabilityZoneId,
      }));
      routeTableIds = [...(existing.routeTableIds ?? [])];
      if ((props.endpoints ?? true) && routeTableIds.length === 0) {
        throw new SluiceValidationError(
          this.node.path,
          "existingVpc.routeTableIds",
          undefined,
          "the subnets' route table ids, for the S3 gateway endpoint; or set endpoints: false when the VPC has its endpoints already",
        );
      }
    }

    this.endpointSecurityGroup = undefined;
    if (props.endpoints ?? true) {
      const sg = new SecurityGroup(this, "endpoints", {
        provider,
        vpcId: this.vpcId,
        name: `${this.node.path.replace(/[^A-Za-z0-9-]/g, "-")}-endpoints`,
        description: "HTTPS from the VPC to its AWS service endpoints",
        tags: { Name: `${this.node.path}/endpoints` },
      });
      new VpcSecurityGroupIngressRule(this, "endpoints-https", {
        provider,
        securityGroupId: sg.id,
        cidrIpv4: this.cidrBlock,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from the VPC",
      });
      this.endpointSecurityGroup = sg;
      // One subnet per zone: an interface endpoint takes at most one subnet per availability zone.
      const endpointSubnets = [
        ...new Map(this.subnets.map((s) => [s.availabilityZone, s.subnetId])).values(),
      ];
      for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new VpcEndpoint(this, `endpoint-${service}`, {
          provider,
          vpcId: this.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: endpointSubnets,
          securityGroupIds: [sg.id],
          tags: { Name: `${this.node.path}/${service}` },
        });
      }
      new VpcEndpoint(this, "endpoint-s3", {
        provider,
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds,
        tags: { Name: `${this.node.path}/s3` },
      });
    }
  }
}
