// awsJson1_1 (ECS, ECR, Secrets Manager, CloudTrail, Logs) and awsJson1_0 in query-compatible mode (CloudWatch):
// POST / with `X-Amz-Target: <prefix>.<Operation>` and a JSON body; errors as `__type` plus, for CloudWatch,
// `x-amzn-query-error: <QueryCode>;Sender|Receiver`, which the SDK prefers when present.
import { apiSchemas, readJson, writeJson } from "../schema";
import { AwsError, type Protocol } from "../service";
import { resolveError } from "./errors";
import type { BoundService, ParsedOperation, ProtocolAdapter, WireRequest, WireResponse } from "./types";

export function targetOperation(request: WireRequest): string {
  const target = request.headers["x-amz-target"] ?? "";
  return target.slice(target.lastIndexOf(".") + 1);
}

/** A JSON body, or the SerializationException every JSON family answers to one it cannot read. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "Unable to parse the request body as JSON");
  }
}

function jsonRpc(protocol: Protocol, contentType: string, queryCompatible: boolean): ProtocolAdapter {
  return {
    protocol,
    parse(request, service): ParsedOperation {
      const name = targetOperation(request);
      // Routed here by its signing scope, a target of another prefix is no operation of this service.
      const target = request.headers["x-amz-target"] ?? "";
      const prefix = target.slice(0, Math.max(0, target.lastIndexOf(".")));
      const ours = service.api.targetPrefixes?.includes(prefix) ?? true;
      const schema = ours ? apiSchemas(service.api.clientPackage).operations.get(name) : undefined;
      return {
        name,
        schema,
        input: () => {
          const body = parseJsonBody(request.body);
          if (!schema) return {};
          const input = readJson(schema.input, body, false);
          if (input === undefined)
            throw new AwsError("SerializationException", "The request body is not a JSON object");
          return input as Record<string, unknown>;
        },
      };
    },
    writeOutput(_service, operation, output): WireResponse {
      const body = operation.schema ? writeJson(operation.schema.output, output ?? {}, false) : {};
      return { status: 200, headers: { "content-type": contentType }, body: JSON.stringify(body ?? {}) };
    },
    writeError(service: BoundService | undefined, error: AwsError): WireResponse {
      const resolved = resolveError(service, error);
      const headers: Record<string, string> = { "content-type": contentType, "x-amzn-errortype": resolved.name };
      if (queryCompatible) headers["x-amzn-query-error"] = `${resolved.queryCode};${resolved.type}`;
      const type = resolved.namespace ? `${resolved.namespace}#${resolved.name}` : resolved.name;
      return {
        status: resolved.status,
        headers,
        body: JSON.stringify({ __type: type, [resolved.messageKey]: error.message }),
      };
    },
    unknownOperation(name) {
      return new AwsError("UnknownOperationException", `Unknown operation ${name}`);
    },
  };
}

export const awsJson1_1 = jsonRpc("awsJson1_1", "application/x-amz-json-1.1", false);
export const awsJson1_0 = jsonRpc("awsJson1_0", "application/x-amz-json-1.0", true);
