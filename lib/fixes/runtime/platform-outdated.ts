// platform-outdated: move the Fargate service to platform version LATEST. The change rides on the service's one
// deployment that the planner assembles (with any new revision other fixes ask for).
import { LATEST_LINUX_PLATFORM } from "../../checks/runtime/platform-outdated";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { serviceOf } from "./verdict-resource";

export const ID = "platform-outdated";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const service = serviceOf(snapshot, verdict.resource)?.service;
  const name = service?.serviceName;
  const base = service?.taskDefinition;
  const title = "move the service to platform version LATEST";
  if (name === undefined || base === undefined) {
    return manualChange(ID, verdict.resource, title, [
      `${verdict.resource} or the task definition it runs was not read: run the audit again`,
    ]);
  }
  const windows = (service?.platformFamily ?? "").startsWith("WINDOWS");
  return {
    check: ID,
    resource: verdict.resource,
    title: `${name}: ${title} (from ${service?.platformVersion ?? "an older one"})`,
    manual: false,
    steps: [],
    outcome: `${name}'s tasks run on the latest Fargate platform version, and move on as AWS releases new ones`,
    risk:
      "the service rolls its tasks onto the new platform (a rolling deployment, shared with the other fixes' " +
      "changes to it)" +
      (windows
        ? ""
        : `; from ${LATEST_LINUX_PLATFORM} on, the task's own network interface pulls the image, reads secrets ` +
          "and sends logs, so its subnets and security group must reach ECR, Secrets Manager and CloudWatch Logs " +
          "(through a NAT gateway, a public IP or VPC endpoints) — as they must reach anything else the app calls"),
    rollback: [`update ${name} back to platform version ${service?.platformVersion ?? "its previous one"}`],
    notes: [],
    deploy: {
      cluster: snapshot.scope.cluster,
      service: name,
      base,
      edits: [],
      serviceUpdate: { platformVersion: "LATEST" },
    },
    reads: [{ kind: "service", name }],
  };
}

export const fix: Fix = { id: ID, plan, writes: ["ecs:UpdateService"] };
