// ECS resource tags, kept by ARN: TagResource, UntagResource (rollback), ListTagsForResource.
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { findService, findTask, findTaskDefinition } from "./ecs-state";

/** ECS's limits: 50 tags a resource, keys of 1–128 characters, values up to 256, no `aws:` prefix. */
export function validateTags(tags: readonly Tag[]): void {
  if (tags.length > 50) throw new AwsError("InvalidParameterException", "A resource can have at most 50 tags.");
  for (const { key = "", value = "" } of tags) {
    if (key.length < 1 || key.length > 128 || value.length > 256) {
      throw new AwsError("InvalidParameterException", "Tag keys must be 1-128 characters and values at most 256.");
    }
    if (key.toLowerCase().startsWith("aws:")) {
      throw new AwsError("InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use.");
    }
  }
}

export function tagResource(request: TagResourceRequest, context: RequestContext): TagResourceResponse {
  const arn = requireResource(context.state, request.resourceArn);
  const tags = [...(context.state.ecs.tags[arn] ?? [])];
  for (const tag of request.tags ?? []) {
    const existing = tags.find((t) => t.key === tag.key);
    if (existing) existing.value = tag.value;
    else tags.push({ key: tag.key, value: tag.value });
  }
  validateTags(tags);
  context.state.ecs.tags[arn] = tags;
  context.changed();
  return {};
}

export function untagResource(request: UntagResourceRequest, context: RequestContext): UntagResourceResponse {
  const arn = requireResource(context.state, request.resourceArn);
  const remove = new Set(request.tagKeys ?? []);
  const tags = (context.state.ecs.tags[arn] ?? []).filter((t) => !remove.has(t.key ?? ""));
  if (tags.length > 0) context.state.ecs.tags[arn] = tags;
  else delete context.state.ecs.tags[arn];
  context.changed();
  return {};
}

export function listTagsForResource(
  request: ListTagsForResourceRequest,
  context: RequestContext,
): ListTagsForResourceResponse {
  const arn = requireResource(context.state, request.resourceArn);
  return { tags: context.state.ecs.tags[arn] ?? [] };
}

/** The ARN of an existing cluster, service, task or task definition, or the error ECS answers with. */
function requireResource(state: SandboxState, arn: string | undefined): string {
  const match = /^arn:aws:ecs:[^:]+:\d{12}:(cluster|service|task|task-definition)\/(.+)$/.exec(arn ?? "");
  if (!arn || !match) throw new AwsError("InvalidParameterException", "The ARN provided is invalid.");
  const [, type, path = ""] = match;
  if (type === "task-definition") {
    if (!findTaskDefinition(state.ecs, path) || !path.includes(":")) throw notFound();
    return arn;
  }
  const [cluster = "", name] = path.split("/");
  if (!state.ecs.clusters.some((c) => c.clusterName === cluster)) {
    throw new AwsError("ClusterNotFoundException", "Cluster not found.");
  }
  if (type === "service" && (!name || !findService(state.ecs, cluster, name))) throw notFound();
  if (type === "task" && (!name || !findTask(state.ecs, cluster, name))) throw notFound();
  return arn;
}

const notFound = () => new AwsError("ResourceNotFoundException", "The specified resource wasn't found.");
