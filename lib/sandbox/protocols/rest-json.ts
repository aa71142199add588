// restJson1 (X-Ray): every operation is a fixed METHOD + path (`POST /TraceSummaries`) with a JSON body; errors
// name themselves in the `X-Amzn-ErrorType` header, which the SDK reads first.
import { apiSchemas, readJson, toBytes, writeJson } from "../schema";
import { AwsError } from "../service";
import { resolveError } from "./errors";
import { parseJsonBody } from "./json-rpc";
import { matchRoute, payloadMember, readHttpBindings, writeHttpBindings } from "./rest";
import type { ParsedOperation, ProtocolAdapter, WireResponse } from "./types";

const CONTENT_TYPE = "application/json";

export const restJson1: ProtocolAdapter = {
  protocol: "restJson1",
  parse(request, service): ParsedOperation {
    const segments = request.path.split("/").filter(Boolean);
    const operations = apiSchemas(service.api.clientPackage).operations.values();
    const match = matchRoute(operations, request.method, segments, request.query);
    if (!match) return { name: `${request.method} ${request.path}`, input: () => ({}) };
    const schema = match.operation;
    return {
      name: schema.name,
      schema,
      input: () => {
        const input = readHttpBindings(schema.input, request, match.labels);
        const payload = payloadMember(schema.input);
        if (payload) {
          const [name, member] = payload;
          if (request.body.length === 0) return input;
          if (member.isBlobSchema()) input[name] = new Uint8Array(request.body);
          else if (member.isStringSchema()) input[name] = request.body.toString("utf8");
          else input[name] = readJson(member, parseJsonBody(request.body), true);
          return input;
        }
        const body = readJson(schema.input, parseJsonBody(request.body), true);
        if (body === undefined) throw new AwsError("SerializationException", "The request body is not a JSON object");
        return { ...(body as Record<string, unknown>), ...input };
      },
    };
  },
  writeOutput(_service, operation, output): WireResponse {
    const schema = operation.schema;
    if (!schema) return { status: 200, headers: { "content-type": CONTENT_TYPE }, body: "{}" };
    const { status, headers } = writeHttpBindings(schema, output);
    const payload = payloadMember(schema.output);
    const value = (output ?? {}) as Record<string, unknown>;
    if (payload) {
      const [name, member] = payload;
      const raw = value[name];
      if (member.isBlobSchema()) return { status, headers, body: Buffer.from(toBytes(raw) ?? new Uint8Array()) };
      if (member.isStringSchema())
        return { status, headers: { "content-type": "text/plain", ...headers }, body: String(raw ?? "") };
      return {
        status,
        headers: { "content-type": CONTENT_TYPE, ...headers },
        body: JSON.stringify(writeJson(member, raw, true) ?? {}),
      };
    }
    const body = JSON.stringify(writeJson(schema.output, value, true) ?? {});
    return { status, headers: { "content-type": CONTENT_TYPE, ...headers }, body };
  },
  writeError(service, error): WireResponse {
    const resolved = resolveError(service, error);
    return {
      status: resolved.status,
      headers: { "content-type": CONTENT_TYPE, "x-amzn-errortype": resolved.name },
      body: JSON.stringify({ [resolved.messageKey]: error.message }),
    };
  },
  unknownOperation(name) {
    return new AwsError("UnknownOperationException", `Unknown operation ${name}`, { status: 404 });
  },
};
