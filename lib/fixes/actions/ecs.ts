// What apply knows of each ECS write action (see ../action.ts).
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  paginateListTaskDefinitions,
} from "@aws-sdk/client-ecs";
import type { Aws } from "../../aws/client";
import { type ActionTable, canonical, field, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";
import { CHANGE_TAG } from "../task-definition";

/** The newest revisions looked at for one carrying a plan's change tag (a rerun finds its own there). */
const REVISIONS_SEARCHED = 10;

/** The UpdateService members a fix may set, and so compares and restores. */
const SERVICE_FIELDS = ["taskDefinition", "platformVersion", "networkConfiguration"] as const;

export const ECS_ACTIONS: ActionTable = {
  RegisterTaskDefinition: {
    observe: async (aws, input) => toJson({ registered: await revisionWithTag(aws, input) }),
    satisfied: (observed) => {
      const registered = field(observed, "registered");
      return typeof registered === "string" ? { taskDefinitionArn: registered } : undefined;
    },
    output: (response) => ({
      taskDefinitionArn: String(
        (response.taskDefinition as { taskDefinitionArn?: string } | undefined)?.taskDefinitionArn ?? "",
      ),
    }),
    // The revision stays registered (never deleted): undoing the deployment is UpdateService's undo.
    undo: () => [],
    iam: [
      "ecs:RegisterTaskDefinition",
      "ecs:TagResource",
      "ecs:ListTaskDefinitions",
      "ecs:DescribeTaskDefinition",
      "iam:PassRole",
    ],
  },
  UpdateService: {
    observe: async (aws, input) => {
      const { services } = await aws.ecs.send(
        new DescribeServicesCommand({ cluster: String(input.cluster), services: [String(input.service)] }),
      );
      const service = services?.[0];
      if (!service) throw new Error(`service ${String(input.service)} was not found in ${String(input.cluster)}`);
      return toJson({
        taskDefinition: service.taskDefinition ?? null,
        platformVersion: service.platformVersion ?? null,
        networkConfiguration: service.networkConfiguration ?? null,
      });
    },
    satisfied: (observed, input) => {
      const differs = SERVICE_FIELDS.some(
        (key) =>
          input[key] !== undefined && canonical(normalise(input[key])) !== canonical(normalise(field(observed, key))),
      );
      return differs ? undefined : { taskDefinition: field(observed, "taskDefinition") ?? null };
    },
    output: (response) => ({
      taskDefinition: String((response.service as { taskDefinition?: string } | undefined)?.taskDefinition ?? ""),
    }),
    undo: (input, before): Call[] => {
      const restore: Record<string, Json> = {};
      for (const key of SERVICE_FIELDS) {
        const previous = field(before, key);
        if (input[key] !== undefined && previous !== undefined && previous !== null) restore[key] = previous;
      }
      return [
        {
          service: "ecs",
          action: "UpdateService",
          input: { cluster: String(input.cluster), service: String(input.service), ...restore },
        },
      ];
    },
    iam: ["ecs:UpdateService", "ecs:DescribeServices", "iam:PassRole"],
  },
  UpdateClusterSettings: {
    observe: async (aws, input) => {
      const { clusters } = await aws.ecs.send(
        new DescribeClustersCommand({ clusters: [String(input.cluster)], include: ["SETTINGS"] }),
      );
      return toJson({ settings: clusters?.[0]?.settings ?? [] });
    },
    satisfied: (observed, input) => {
      const current = settingsOf(field(observed, "settings"));
      const wanted = (input.settings as { name: string; value: string }[] | undefined) ?? [];
      return wanted.every((s) => current.get(s.name) === s.value) ? {} : undefined;
    },
    output: () => ({}),
    undo: (input, before) => {
      const previous = settingsOf(field(before, "settings"));
      const wanted = (input.settings as { name: string; value: string }[] | undefined) ?? [];
      const settings = wanted.map((s) => ({ name: s.name, value: previous.get(s.name) ?? "disabled" }));
      return [{ service: "ecs", action: "UpdateClusterSettings", input: { cluster: String(input.cluster), settings } }];
    },
    iam: ["ecs:UpdateClusterSettings", "ecs:DescribeClusters"],
  },
  StopTask: {
    observe: async (aws, input) => {
      const { tasks } = await aws.ecs.send(
        new DescribeTasksCommand({ cluster: String(input.cluster), tasks: [String(input.task)] }),
      );
      return toJson({
        lastStatus: tasks?.[0]?.lastStatus ?? "STOPPED",
        desiredStatus: tasks?.[0]?.desiredStatus ?? null,
      });
    },
    satisfied: (observed) =>
      field(observed, "desiredStatus") === "STOPPED" || field(observed, "lastStatus") === "STOPPED" ? {} : undefined,
    output: () => ({}),
    // A stopped task cannot be restarted; its service starts a replacement by itself.
    undo: () => [],
    iam: ["ecs:StopTask", "ecs:DescribeTasks"],
  },
};

/** The newest ACTIVE revision of the input's family that carries the input's change tag. */
async function revisionWithTag(aws: Aws, input: ResolvedInput): Promise<string | null> {
  const change = (input.tags as { key?: string; value?: string }[] | undefined)?.find((t) => t.key === CHANGE_TAG);
  if (!change?.value) return null;
  const arns: string[] = [];
  const pages = paginateListTaskDefinitions(
    { client: aws.ecs },
    { familyPrefix: String(input.family), status: "ACTIVE", sort: "DESC" },
  );
  for await (const page of pages) {
    arns.push(...(page.taskDefinitionArns ?? []));
    if (arns.length >= REVISIONS_SEARCHED) break;
  }
  const family = String(input.family);
  for (const arn of arns.slice(0, REVISIONS_SEARCHED)) {
    if (!arn.endsWith(`/${family}:${arn.split(":").pop()}`)) continue;
    const { tags } = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
    if (tags?.some((t) => t.key === CHANGE_TAG && t.value === change.value)) return arn;
  }
  return null;
}

function settingsOf(value: Json | undefined): Map<string, string> {
  const list = Array.isArray(value) ? (value as { name?: string; value?: string }[]) : [];
  return new Map(list.map((s) => [String(s.name), String(s.value)]));
}

/** Subnet and group lists compare as sets. */
function normalise(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value ?? null;
  const vpc = (value as { awsvpcConfiguration?: Record<string, unknown> }).awsvpcConfiguration;
  if (!vpc) return value;
  const sorted = (list: unknown) => (Array.isArray(list) ? [...(list as string[])].sort() : list);
  return {
    awsvpcConfiguration: {
      ...vpc,
      subnets: sorted(vpc.subnets),
      securityGroups: sorted(vpc.securityGroups),
      assignPublicIp: vpc.assignPublicIp ?? "DISABLED",
    },
  };
}
