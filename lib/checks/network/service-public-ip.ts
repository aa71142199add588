// service-public-ip: a service (or one of its task sets) gives its tasks public IP addresses (assignPublicIp
// ENABLED). Services that are not in awsvpc network mode have no such setting: nothing to judge.

import type { AwsVpcConfiguration } from "@aws-sdk/client-ecs";
import type { Plain, Snapshot, SnapshotService } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { ecsGuide, securityHub, seedTalk } from "../references";
import { serviceLabel } from "./paths";

export const meta: CheckMeta = {
  id: "service-public-ip",
  title: "A service gives its tasks public IP addresses",
  pillar: "network",
  severity: "high",
  why:
    "Tasks with a public IP can be reached from the internet whenever a security group rule allows it, without " +
    "going through the load balancer; run them in private subnets (with a NAT gateway or VPC endpoints for egress).",
  references: [
    securityHub("ECS", 2),
    securityHub("ECS", 16),
    seedTalk(1, "security groups (further: private subnets)"),
    ecsGuide("Amazon ECS task networking for Fargate", "fargate-task-networking.html"),
  ],
  fix: { id: "service-public-ip", manual: false },
  reads: ["ecs:ListServices", "ecs:DescribeServices", "ec2:DescribeSubnets", "ec2:DescribeRouteTables"],
};

export function run(snapshot: Snapshot): Verdict[] {
  if (snapshot.services.status === "unknown") {
    return [unknownVerdict(`cluster ${snapshot.scope.cluster}`, snapshot.services)];
  }
  return snapshot.services.value.flatMap((service) => judge(snapshot, service));
}

function judge(snapshot: Snapshot, entry: SnapshotService): Verdict[] {
  const { service } = entry;
  const resource = serviceLabel(service.serviceName);
  const own = service.networkConfiguration?.awsvpcConfiguration;
  const taskSets = (service.taskSets ?? []).flatMap((set) => {
    const config = set.networkConfiguration?.awsvpcConfiguration;
    return config ? [{ name: `task set ${set.id ?? "(unnamed)"}`, config }] : [];
  });
  const configs = [...(own ? [{ name: "the service", config: own }] : []), ...taskSets];
  if (configs.length === 0) return [];
  const enabled = configs.filter(({ config }) => config.assignPublicIp === "ENABLED");
  if (enabled.length === 0) {
    return [{ status: "pass", resource, detail: `tasks get no public IP${subnetsNote(snapshot, own)}` }];
  }
  return [
    {
      status: "fail",
      resource,
      detail:
        `${enabled.map((e) => e.name).join(" and ")} assign${enabled.length === 1 ? "s" : ""} a public IP to every task` +
        `${subnetsNote(snapshot, enabled[0]?.config)}: the tasks are addressable from the internet; ` +
        "set assignPublicIp to DISABLED and run them in private subnets",
    },
  ];
}

/** ` (in public subnets public-a, public-c)`, when the network was read. */
function subnetsNote(snapshot: Snapshot, config: Plain<AwsVpcConfiguration> | undefined): string {
  const network = snapshot.network;
  if (!config || network.status === "unknown") return "";
  const ids = config.subnets ?? [];
  const subnets = network.value.subnets.filter((subnet) => ids.includes(subnet.SubnetId ?? ""));
  if (subnets.length === 0) return "";
  const name = (s: (typeof subnets)[number]) => s.Tags?.find((tag) => tag.Key === "Name")?.Value ?? s.SubnetId ?? "";
  const publics = subnets.filter((s) => s.public);
  const privates = subnets.filter((s) => !s.public);
  const parts = [
    ...(publics.length > 0 ? [`public subnets ${publics.map(name).join(", ")}`] : []),
    ...(privates.length > 0 ? [`private subnets ${privates.map(name).join(", ")}`] : []),
  ];
  return ` (in ${parts.join(" and ")})`;
}

export const check: Check = { meta, run };
