// service-public-ip: the service's tasks move to private subnets — ones whose route table sends 0.0.0.0/0 to a NAT
// gateway, so the tasks can still pull images, write logs and read secrets — with assignPublicIp DISABLED and their
// security groups unchanged. It is a setting of the service's next deployment (the planner merges it into the one
// deployment every fix shares).
//
// Which private subnets: those of the service's VPC in every Availability Zone the service runs in now, and only
// those zones. Every zone, so the move never narrows the service's spread (a service in two zones stays in two); only
// those, so the load balancer — enabled in the zones the tasks use today — reaches every new task. When a zone has
// no such subnet, the plan changes nothing and says which zone lacks one: a service moved into fewer zones would
// survive less, and one moved into a zone its load balancer does not serve would get no traffic there.
import type { RouteTable } from "@aws-sdk/client-ec2";
import { serviceLabel } from "../../checks/network/paths";
import type { Plain, Snapshot, SnapshotNetwork } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";

const ID = "service-public-ip";

type Subnet = SnapshotNetwork["subnets"][number];

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const missing = (notes: string[]) =>
    manualChange(ID, verdict.resource, `${verdict.resource}: cannot plan the move to private subnets`, notes, [
      { kind: "network" },
    ]);
  if (snapshot.services.status === "unknown" || snapshot.network.status === "unknown") {
    return missing([
      "the services or the VPC's subnets and routes could not be read: audit again with the missing permissions",
    ]);
  }
  const entry = snapshot.services.value.find(({ service }) => serviceLabel(service.serviceName) === verdict.resource);
  const service = entry?.service;
  const config = service?.networkConfiguration?.awsvpcConfiguration;
  if (!entry || !service?.serviceName || !config) {
    return missing([`${verdict.resource} has no awsvpc network configuration in this snapshot`]);
  }
  const controller = service.deploymentController?.type ?? "ECS";
  if (controller !== "ECS") {
    return missing([
      `${verdict.resource} is deployed by ${controller === "CODE_DEPLOY" ? "CodeDeploy" : "an external controller"}: ` +
        "its network configuration changes with a new task set there, not through UpdateService",
    ]);
  }
  const network = snapshot.network.value;
  const current = (config.subnets ?? []).map((id) => network.subnets.find((s) => s.SubnetId === id));
  const known = current.filter((s): s is Subnet => s !== undefined);
  if (known.length === 0 || known.length < current.length) {
    return missing([`some of the service's subnets (${(config.subnets ?? []).join(", ")}) were not read`]);
  }
  const zones = [...new Set(known.map((s) => s.AvailabilityZone ?? ""))].sort();
  const vpcs = new Set(known.map((s) => s.VpcId));
  const candidates = network.subnets
    .filter((s) => !s.public && vpcs.has(s.VpcId) && zones.includes(s.AvailabilityZone ?? ""))
    .filter((s) => natGatewayOf(s, network.routeTables) !== undefined)
    .sort(
      (a, b) =>
        (a.AvailabilityZone ?? "").localeCompare(b.AvailabilityZone ?? "") || nameOf(a).localeCompare(nameOf(b)),
    );
  const uncovered = zones.filter((zone) => !candidates.some((s) => s.AvailabilityZone === zone));
  if (uncovered.length > 0) {
    return missing([
      `no private subnet with a route from 0.0.0.0/0 to a NAT gateway in ${uncovered.join(", ")} ` +
        `(the service runs in ${zones.join(", ")}): create one there (a subnet whose route table sends 0.0.0.0/0 to ` +
        "a NAT gateway) — or give a private subnet VPC endpoints for ECR, S3, CloudWatch Logs and Secrets Manager and " +
        "move the service yourself — then plan again",
    ]);
  }
  // Subnets already in the target set keep their place; moving within them changes nothing.
  const subnets = candidates.map((s) => s.SubnetId ?? "");
  const nats = [...new Set(candidates.map((s) => natGatewayOf(s, network.routeTables)))];
  const networkConfiguration = {
    awsvpcConfiguration: {
      subnets,
      ...(config.securityGroups ? { securityGroups: [...config.securityGroups] } : {}),
      assignPublicIp: "DISABLED",
    },
  };
  const base = service.taskDefinition ?? entry.runningRevisions[0] ?? "";
  return {
    check: ID,
    resource: verdict.resource,
    title: `${verdict.resource}: tasks in private subnets ${candidates.map(nameOf).join(", ")}, no public IP`,
    manual: false,
    steps: [],
    outcome:
      `new tasks of ${service.serviceName} run in ${candidates.map(nameOf).join(", ")} (${zones.join(", ")}) without a ` +
      `public IP, with the same security groups; they reach the internet through ${nats.join(", ")}`,
    risk:
      "the service rolls its tasks into the new subnets; anything that reached a task by its public IP loses it; " +
      `outbound traffic now leaves from the NAT gateway's address (${nats.join(", ")}), so a partner or database ` +
      "that allow-lists the tasks' current public IPs must allow that address instead; NAT data-processing charges apply",
    rollback: [
      `update ${service.serviceName} back to subnets ${(config.subnets ?? []).join(", ")} with assignPublicIp ` +
        `${config.assignPublicIp ?? "DISABLED"} (part of the shared deployment's rollback)`,
    ],
    notes: [],
    deploy: {
      cluster: snapshot.scope.cluster,
      service: service.serviceName,
      base,
      edits: [],
      serviceUpdate: { networkConfiguration },
    },
    reads: [{ kind: "service", name: service.serviceName }, { kind: "network" }],
  };
}

/** The NAT gateway the subnet's route table (its own, else the VPC's main one) sends 0.0.0.0/0 to, if any. */
function natGatewayOf(subnet: Subnet, tables: readonly Plain<RouteTable>[]): string | undefined {
  const explicit = tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet.SubnetId));
  const table = explicit ?? tables.find((t) => t.VpcId === subnet.VpcId && (t.Associations ?? []).some((a) => a.Main));
  const route = (table?.Routes ?? []).find(
    (r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.NatGatewayId && r.State !== "blackhole",
  );
  return route?.NatGatewayId;
}

function nameOf(subnet: Subnet): string {
  return subnet.Tags?.find((tag) => tag.Key === "Name")?.Value ?? subnet.SubnetId ?? "";
}

export const fix: Fix = { id: ID, plan, writes: ["ecs:UpdateService"] };
