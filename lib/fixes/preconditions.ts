// Preconditions: what a plan relied on, picked out of the snapshot it was made from. Apply picks the same out of a
// fresh snapshot; a different fingerprint means somebody changed the resource since, and the plan is refused with
// what changed named. Only what a fix depends on is picked (a service's events or running count change by the minute).
import { createHash } from "node:crypto";
import { diffValues } from "../inventory/diff";
import type { Known, Snapshot } from "../inventory/snapshot";
import { canonical, toJson } from "./action";
import type { Json, Precondition, ResourceRef } from "./plan";

export function precondition(snapshot: Snapshot, resource: ResourceRef): Precondition {
  const state = select(snapshot, resource);
  return { resource, label: labelOf(resource), fingerprint: fingerprint(state), state };
}

export function fingerprint(state: Json): string {
  return createHash("sha256").update(canonical(state)).digest("hex");
}

/** What changed between the plan's view of a resource and a fresh one, in a line: "DefaultActions.0.Type: …". */
export function whatChanged(before: Json, after: Json, max = 3): string {
  const changes = diffValues(before, after);
  if (changes.length === 0) return "its fields differ";
  const shown = changes.slice(0, max).map((c) => `${c.field || "it"}: ${c.before} → ${c.after}`);
  return changes.length > max ? `${shown.join("; ")} (and ${changes.length - max} more)` : shown.join("; ");
}

export function labelOf(resource: ResourceRef): string {
  switch (resource.kind) {
    case "cluster":
      return "the cluster's settings";
    case "account-settings":
      return "the account's ECS settings";
    case "service":
      return `service ${resource.name}`;
    case "task-definition":
      return `task definition ${resource.arn.split("/").pop() ?? resource.arn}`;
    case "security-group":
      return `security group ${resource.id}`;
    case "listener":
      return `listener ${resource.arn.split("/").slice(-3).join("/")}`;
    case "role":
      return `role ${resource.arn.split("/").pop() ?? resource.arn}`;
    case "principal":
      return `IAM ${resource.arn.split(":").pop() ?? resource.arn}`;
    case "repository":
      return `ECR repository ${resource.name}`;
    case "registry-scanning":
      return "the ECR registry's scanning configuration";
    case "image":
      return `image ${resource.image}`;
    case "trails":
      return "the account's CloudTrail trails";
    case "log-group":
      return `log group ${resource.name}`;
    case "alarms":
      return "the CloudWatch alarms";
    case "network":
      return "the VPC's subnets and routes";
  }
}

/** The part of the snapshot a precondition covers, as JSON; `null` when the snapshot has no such resource. */
export function select(snapshot: Snapshot, resource: ResourceRef): Json {
  switch (resource.kind) {
    case "cluster":
      return known(snapshot.cluster, (cluster) => ({
        settings: sortBy(cluster.settings ?? [], "name"),
        configuration: cluster.configuration ?? null,
      }));
    case "account-settings":
      return known(snapshot.accountSettings, (settings) => settings);
    case "service":
      return known(snapshot.services, (services) => {
        const found = services.find((s) => s.service.serviceName === resource.name)?.service;
        if (!found) return null;
        return {
          taskDefinition: found.taskDefinition ?? null,
          platformVersion: found.platformVersion ?? null,
          networkConfiguration: found.networkConfiguration ?? null,
          loadBalancers: found.loadBalancers ?? [],
        };
      });
    case "task-definition": {
      const definition = snapshot.taskDefinitions[resource.arn];
      return definition === undefined ? null : known(definition, (d) => d);
    }
    case "security-group":
      return known(snapshot.securityGroupRules, (rules) =>
        sortBy(
          rules
            .filter((rule) => rule.GroupId === resource.id)
            .map(({ Tags: _tags, SecurityGroupRuleArn: _arn, ...rule }) => rule),
          "SecurityGroupRuleId",
        ),
      );
    case "listener":
      return known(snapshot.listeners, (listeners) => {
        const found = listeners.find((l) => l.ListenerArn === resource.arn);
        return found ? { Port: found.Port, Protocol: found.Protocol, DefaultActions: found.DefaultActions } : null;
      });
    case "role": {
      const role = snapshot.roles[resource.arn];
      return role === undefined
        ? null
        : known(role, (r) => ({ trust: r.trust, policies: known(r.policies, (p) => sortBy(p, "source")) }));
    }
    case "principal":
      return known(snapshot.principals, (principals) => {
        const found = principals.find((p) => p.arn === resource.arn);
        return found ? { policies: sortBy(found.policies, "source"), groups: found.groups ?? [] } : null;
      });
    case "repository":
      return known(snapshot.repositories, (repositories) => {
        const found = repositories.find((r) => r.repository.repositoryName === resource.name);
        if (!found) return null;
        return {
          imageTagMutability: found.repository.imageTagMutability ?? null,
          imageScanningConfiguration: found.repository.imageScanningConfiguration ?? null,
          lifecyclePolicy: known(found.lifecyclePolicy, (p) => p),
        };
      });
    case "registry-scanning":
      return known(snapshot.registryScanning, (scanning) => scanning);
    case "image": {
      const found = snapshot.images.find((i) => i.image === resource.image);
      if (!found) return null;
      // The digest, tags and findings: not the pull time, which moves whenever a task starts.
      const detail =
        found.detail.status === "known"
          ? { digest: found.detail.value?.imageDigest ?? null, tags: found.detail.value?.imageTags ?? [] }
          : { unknown: found.detail.error };
      return toJson({ detail, findings: found.findings });
    }
    case "trails":
      return known(snapshot.trails, (trails) => trails);
    case "log-group": {
      const group = snapshot.logGroups[resource.name];
      return group === undefined
        ? null
        : known(group, (g) => (g === null ? null : { retentionInDays: g.retentionInDays ?? null }));
    }
    case "alarms":
      return known(snapshot.alarms, (alarms) =>
        sortBy(
          alarms.map(
            ({
              StateValue: _s,
              StateReason: _r,
              StateUpdatedTimestamp: _u,
              StateTransitionedTimestamp: _t,
              ...alarm
            }) => alarm,
          ),
          "AlarmName",
        ),
      );
    case "network":
      return known(snapshot.network, (network) => ({
        subnets: sortBy(
          network.subnets.map((s) => ({ SubnetId: s.SubnetId, public: s.public, VpcId: s.VpcId })),
          "SubnetId",
        ),
        routeTables: sortBy(network.routeTables, "RouteTableId"),
      }));
  }
}

/** A known read's value picked by `pick`; an unknown read as what failed (so known ↔ unknown is a change too). */
function known<T>(read: Known<T>, pick: (value: T) => unknown): Json {
  if (read.status === "unknown") return { unknown: read.error };
  return toJson(pick(read.value));
}

function sortBy<T>(items: readonly T[], key: string): T[] {
  const of = (item: T) => String((item as Record<string, unknown>)[key] ?? "");
  return [...items].sort((a, b) => of(a).localeCompare(of(b)));
}
