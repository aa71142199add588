// What apply knows of each CloudWatch Logs write action (see ../action.ts). A log group is observed as whether it
// exists, its retention, and whether ecs-takeover created it (its source tag). Rolling back leaves a group this tool
// created as it made it, retention included: it holds the logs the tasks wrote meanwhile, which whoever rolls back
// usually wants to read (the tag says which groups to delete by hand when they are not wanted). A group that was
// already there gets its own retention back.
import { ListTagsForResourceCommand, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import type { Aws } from "../../aws/client";
import { type ActionTable, field, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";
import { SOURCE_TAG } from "./secrets-manager";

/** The tags CreateLogGroup gives the groups this tool creates. */
export const CREATED_GROUP_TAGS: { readonly [key: string]: string } = { [SOURCE_TAG]: "ecs-takeover" };

export const LOGS_ACTIONS: ActionTable = {
  CreateLogGroup: {
    observe: (aws, input) => observeGroup(aws, input),
    // An existing group of that name (ours from an earlier run, or someone's) is where the logs should go anyway.
    satisfied: (observed, input) => (observed === null ? undefined : { logGroupName: String(input.logGroupName) }),
    output: (_response, input) => ({ logGroupName: String(input.logGroupName) }),
    undo: () => [],
    iam: ["logs:CreateLogGroup", "logs:TagResource"],
  },
  PutRetentionPolicy: {
    observe: (aws, input) => observeGroup(aws, input),
    satisfied: (observed, input) =>
      observed !== null && field(observed, "retentionInDays") === Number(input.retentionInDays) ? {} : undefined,
    output: () => ({}),
    undo: (input, before) =>
      field(before, "createdByUs") === true ? [] : restoreRetention(String(input.logGroupName), before),
    iam: ["logs:PutRetentionPolicy", "logs:DescribeLogGroups", "logs:ListTagsForResource"],
  },
  DeleteRetentionPolicy: {
    observe: (aws, input) => observeGroup(aws, input),
    // A group that is gone keeps nothing either.
    satisfied: (observed) => (observed === null || field(observed, "retentionInDays") === null ? {} : undefined),
    output: () => ({}),
    undo: (input, before) => restoreRetention(String(input.logGroupName), before),
    iam: ["logs:DeleteRetentionPolicy", "logs:DescribeLogGroups", "logs:ListTagsForResource"],
  },
};

/** The group's retention (null: kept forever) and whether this tool created it; null when there is no such group. */
async function observeGroup(aws: Aws, input: ResolvedInput): Promise<Json> {
  const name = String(input.logGroupName);
  // The name is a prefix filter: other groups may start with it, so page until the exact one.
  for await (const page of paginateDescribeLogGroups({ client: aws.logs }, { logGroupNamePrefix: name })) {
    const group = (page.logGroups ?? []).find((g) => g.logGroupName === name);
    if (!group) continue;
    const arn = group.logGroupArn ?? String(group.arn ?? "").replace(/:\*$/, "");
    const { tags } = await aws.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    return toJson({
      logGroupName: name,
      retentionInDays: group.retentionInDays ?? null,
      createdByUs: tags?.[SOURCE_TAG] === CREATED_GROUP_TAGS[SOURCE_TAG],
    });
  }
  return null;
}

/** The call that gives the group back the retention it had (none: DeleteRetentionPolicy). */
function restoreRetention(logGroupName: string, before: Json): Call[] {
  if (before === null) return [];
  const days = field(before, "retentionInDays");
  return typeof days === "number"
    ? [{ service: "logs", action: "PutRetentionPolicy", input: { logGroupName, retentionInDays: days } }]
    : [{ service: "logs", action: "DeleteRetentionPolicy", input: { logGroupName } }];
}
