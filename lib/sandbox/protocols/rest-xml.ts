// restXml (S3, path-style): `/{bucket}` plus the operation's query literal (`?policy`, `?publicAccessBlock`); bodies
// are XML documents or raw payloads; errors are `<Error><Code>` documents, and HEAD answers carry no body at all.
import type { NormalizedSchema } from "@smithy/core/schema";
import { apiSchemas, isObject, type OperationSchema, toBytes } from "../schema";
import { AwsError } from "../service";
import { resolveError } from "./errors";
import { matchRoute, payloadMember, readHttpBindings, writeHttpBindings } from "./rest";
import type { BoundService, ParsedOperation, ProtocolAdapter, WireRequest, WireResponse } from "./types";
import { element, parseXml, readXml, type XmlElement, xmlMembers, xmlns, xmlText } from "./xml";

const CONTENT_TYPE = "application/xml";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function hasBucketLabel(operation: OperationSchema): boolean {
  for (const [name, member] of operation.input.structIterator()) {
    if (name === "Bucket" && member.getMergedTraits().httpLabel) return true;
  }
  return false;
}

function xmlBody(body: Buffer): XmlElement {
  try {
    return parseXml(body.toString("utf8"));
  } catch {
    throw new AwsError(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
}

function readInput(schema: OperationSchema, request: WireRequest, labels: Record<string, string>) {
  const input = readHttpBindings(schema.input, request, labels);
  const payload = payloadMember(schema.input);
  if (request.body.length === 0) return input;
  if (payload) {
    const [name, member] = payload;
    if (member.isBlobSchema()) input[name] = new Uint8Array(request.body);
    else if (member.isStringSchema()) input[name] = request.body.toString("utf8");
    else input[name] = readXml(member, xmlBody(request.body));
    return input;
  }
  const body = readXml(schema.input, xmlBody(request.body));
  return { ...(isObject(body) ? body : {}), ...input };
}

function rootName(schema: NormalizedSchema): string {
  return schema.getMergedTraits().xmlName ?? schema.getName() ?? "Result";
}

export const restXml: ProtocolAdapter = {
  protocol: "restXml",
  parse(request, service): ParsedOperation {
    let segments = request.path.split("/").filter(Boolean);
    const labels: Record<string, string> = {};
    const bucket = service.api.bucketInPath ? segments[0] : undefined;
    if (bucket !== undefined) {
      labels.Bucket = decodeURIComponent(bucket);
      segments = segments.slice(1);
    }
    const operations = apiSchemas(service.api.clientPackage).operations.values();
    const accept = (operation: OperationSchema) =>
      !service.api.bucketInPath || hasBucketLabel(operation) === (bucket !== undefined);
    const match = matchRoute(operations, request.method, segments, request.query, accept);
    if (!match) return { name: `${request.method} ${request.path}`, input: () => ({}) };
    const schema = match.operation;
    return { name: schema.name, schema, input: () => readInput(schema, request, { ...match.labels, ...labels }) };
  },
  writeOutput(service: BoundService, operation, output): WireResponse {
    const schema = operation.schema;
    if (!schema) return { status: 200, headers: {}, body: "" };
    const { status, headers } = writeHttpBindings(schema, output);
    const value = isObject(output) ? output : {};
    const payload = payloadMember(schema.output);
    if (payload) {
      const [name, member] = payload;
      const raw = value[name];
      if (raw === undefined || raw === null) return { status, headers, body: "" };
      if (member.isBlobSchema()) return { status, headers, body: Buffer.from(toBytes(raw) ?? new Uint8Array()) };
      if (member.isStringSchema()) return { status, headers, body: String(raw) };
      const root = member.getMemberTraits().xmlName ?? rootName(member);
      const body = DECLARATION + element(root, xmlMembers(member, raw), xmlns(service));
      return { status, headers: { "content-type": CONTENT_TYPE, ...headers }, body };
    }
    const members = xmlMembers(schema.output, value);
    if (members === "") return { status, headers, body: "" };
    const body = DECLARATION + element(rootName(schema.output), members, xmlns(service));
    return { status, headers: { "content-type": CONTENT_TYPE, ...headers }, body };
  },
  writeError(service, error, requestId, request): WireResponse {
    const resolved = resolveError(service, error);
    if (request.method === "HEAD") return { status: resolved.status, headers: {}, body: "" };
    const detail =
      element("Code", xmlText(resolved.name)) +
      element("Message", xmlText(error.message)) +
      element("RequestId", xmlText(requestId));
    return {
      status: resolved.status,
      headers: { "content-type": CONTENT_TYPE },
      body: DECLARATION + element("Error", detail),
    };
  },
  unknownOperation(name) {
    return new AwsError(
      "NotImplemented",
      `A header or query you provided implies functionality that is not implemented: ${name}`,
      {
        status: 501,
      },
    );
  },
};
