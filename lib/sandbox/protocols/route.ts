// Which service a request is for, by the rule that works for every client (reference/aws-protocols.md §1):
// `X-Amz-Target` → JSON-RPC; a form body → awsQuery/ec2Query by `Version` (then the SigV4 scope, since
// `DescribeTags` exists in both EC2 and ELBv2); anything else → REST, X-Ray or S3 by scope, then by path.
import { apiSchemas } from "../schema";
import type { Protocol, ServiceDefinition } from "../service";
import { awsQuery } from "./aws-query";
import { describeApi } from "./catalog";
import { ec2Query } from "./ec2-query";
import { formParams } from "./form";
import { awsJson1_0, awsJson1_1 } from "./json-rpc";
import { matchRoute } from "./rest";
import { restJson1 } from "./rest-json";
import { restXml } from "./rest-xml";
import type { BoundService, ProtocolAdapter, WireRequest } from "./types";

const ADAPTERS: Readonly<Record<Protocol, ProtocolAdapter>> = {
  awsJson1_1,
  awsJson1_0,
  awsQuery,
  ec2Query,
  restJson1,
  restXml,
};

export function adapterFor(protocol: Protocol): ProtocolAdapter {
  return ADAPTERS[protocol];
}

/** Pairs each service with the API description its requests are read by; refuses one the wire cannot speak. */
export function bindServices(definitions: readonly ServiceDefinition[]): BoundService[] {
  return definitions.map((definition) => {
    const api = describeApi(definition.signingName);
    if (!api) throw new Error(`sandbox: no wire description for the signing name "${definition.signingName}"`);
    return { definition, api };
  });
}

/** The service in the SigV4 credential scope: `Credential=AKID/20240101/region/<service>/aws4_request`. */
export function signingScope(request: WireRequest): string | undefined {
  return /Credential=[^/,]+\/[^/,]+\/[^/,]+\/([^/,]+)\//.exec(request.headers.authorization ?? "")?.[1];
}

export interface Route {
  readonly adapter: ProtocolAdapter;
  /** Absent when no served service matches: the adapter then answers with its unknown-operation error. */
  readonly service?: BoundService;
}

export function route(request: WireRequest, services: readonly BoundService[]): Route {
  const scope = signingScope(request);
  const byScope = (protocols: readonly Protocol[]) =>
    services.find((s) => s.definition.signingName === scope && protocols.includes(s.definition.protocol));
  const target = request.headers["x-amz-target"];
  if (target !== undefined) {
    const prefix = target.slice(0, Math.max(0, target.lastIndexOf(".")));
    const service =
      services.find((s) => s.api.targetPrefixes?.includes(prefix)) ?? byScope(["awsJson1_1", "awsJson1_0"]);
    const jsonVersion = (request.headers["content-type"] ?? "").includes("json-1.0") ? awsJson1_0 : awsJson1_1;
    return { adapter: service ? adapterFor(service.definition.protocol) : jsonVersion, service };
  }
  if ((request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    const version = formParams(request).get("Version");
    const candidates = services.filter((s) => s.api.version !== undefined && s.api.version === version);
    const service =
      (candidates.length === 1 ? candidates[0] : candidates.find((s) => s.definition.signingName === scope)) ??
      byScope(["awsQuery", "ec2Query"]);
    return { adapter: service ? adapterFor(service.definition.protocol) : awsQuery, service };
  }
  const rest = services.filter((s) => s.definition.protocol === "restJson1" || s.definition.protocol === "restXml");
  const service =
    rest.find((s) => s.definition.signingName === scope) ??
    rest.find((s) => s.definition.protocol === "restJson1" && restPathMatches(s, request)) ??
    rest.find((s) => s.definition.protocol === "restXml");
  return { adapter: service ? adapterFor(service.definition.protocol) : restJson1, service };
}

function restPathMatches(service: BoundService, request: WireRequest): boolean {
  const operations = apiSchemas(service.api.clientPackage).operations.values();
  return matchRoute(operations, request.method, request.path.split("/").filter(Boolean), request.query) !== undefined;
}

/** The operation a request names, for the unknown-operation answer when no service serves it. */
export function requestedOperation(request: WireRequest): string {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) return target.slice(target.lastIndexOf(".") + 1);
  const action = formParams(request).get("Action");
  return action ?? `${request.method} ${request.path}`;
}
