// The sandbox's HTTP endpoint on 127.0.0.1: reads a request, routes it to a service's handler through the
// protocol adapter of that service's wire family, applies faults, and answers stamped with the virtual clock.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { CLOCK_STEP_MS, drawHex, parseClockStart, requestIdFor, VirtualClock } from "./clock";
import { FaultInjector, type FaultSpec, internalError, NO_FAULTS, parseFaults } from "./faults";
import { loadState, saveState } from "./persist";
import { bindServices, type Route, requestedOperation, route } from "./protocols/route";
import type { BoundService, WireRequest, WireResponse } from "./protocols/types";
import { SERVICES } from "./registry";
import { buildScenario, type ScenarioName } from "./scenarios/index";
import { AwsError, type RequestContext, type ServiceDefinition } from "./service";
import type { SandboxState } from "./state";

export interface SandboxOptions {
  port?: number;
  scenario?: ScenarioName;
  state?: SandboxState;
  clock?: string | Date;
  faults?: string | FaultSpec;
  statePath?: string;
  services?: readonly ServiceDefinition[];
}

export interface Sandbox {
  endpoint: string;
  port: number;
  state: SandboxState;
  now(): Date;
  stop(): Promise<void>;
}

/** Bodies past this are refused (and drained) rather than buffered: 16 MiB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const start = parseClockStart(options.clock);
  const faultSpec = typeof options.faults === "string" ? parseFaults(options.faults) : (options.faults ?? NO_FAULTS);
  const faults = new FaultInjector(faultSpec);
  const services = bindServices(options.services ?? SERVICES);
  const { statePath } = options;
  const loaded = options.state ?? (statePath ? loadState(statePath) : undefined);
  // A resumed account never goes back in time: its clock goes on from the last change it recorded.
  const resumed = loaded?.clock && loaded.clock.getTime() >= start.getTime() ? loaded.clock : undefined;
  const clock = new VirtualClock(resumed ? new Date(resumed.getTime() + CLOCK_STEP_MS) : start);
  const state = loaded ?? buildScenario(options.scenario ?? "inherited", clock.start);
  if (statePath && !loaded) saveState(statePath, state);

  const answer = async (request: WireRequest, routed: Route, now: Date, requestId: string) => {
    const { adapter, service } = routed;
    try {
      if (!service) throw adapter.unknownOperation(requestedOperation(request));
      const parsed = adapter.parse(request, service);
      const handler = parsed.schema ? service.definition.handlers[parsed.name] : undefined;
      if (!handler) throw adapter.unknownOperation(parsed.name);
      const action = `${service.definition.actionPrefix ?? service.definition.signingName}:${parsed.name}`;
      const decision = faults.decide(action, adapter.protocol, callerArn(state));
      if (decision.kind === "hang") return "hang";
      if (decision.latency > 0) await new Promise((resolve) => setTimeout(resolve, decision.latency));
      if (decision.kind === "error") throw decision.error;
      let changed = false;
      const context: RequestContext = {
        state,
        now,
        account: state.account,
        region: state.region,
        requestId,
        hex: (length) => drawHex(state, length),
        changed: () => {
          changed = true;
        },
      };
      for (const each of services) each.definition.tick?.(context);
      const output = await handler(parsed.input(), context);
      const response = adapter.writeOutput(service, parsed, output, requestId);
      if (changed) state.clock = now;
      if (changed && statePath) saveState(statePath, state);
      return response;
    } catch (thrown) {
      const error =
        thrown instanceof AwsError
          ? thrown
          : internalError(adapter.protocol, thrown instanceof Error ? thrown.message : String(thrown));
      return adapter.writeError(service, error, requestId, request);
    }
  };

  const hanging = new Set<ServerResponse>();
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === "aborted") return;
    const request = wireRequest(req, body);
    const { now, sequence } = clock.next();
    const requestId = requestIdFor(sequence, now);
    const routed = route(request, services);
    const response =
      typeof body === "string"
        ? routed.adapter.writeError(routed.service, bodyError(body), requestId, request)
        : await answer(request, routed, now, requestId);
    if (response === "hang") {
      hanging.add(res);
      return;
    }
    send(res, request, response, routed.service, now, requestId);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // Only a bug in the wire layer itself lands here: answer 500 rather than leave the client waiting.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : "internal error");
    });
  });
  // Node closes an idle keep-alive connection after 5 s; a busy client that reuses its pooled socket just then gets
  // "socket hang up". AWS keeps idle connections far longer, so SDK clients reuse them freely: so does the sandbox.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    state,
    now: () => clock.now(),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Who a denial names: the scenario's STS identity, else the account's `user/new-owner` (as STS answers). */
function callerArn(state: SandboxState): string {
  return state.sts?.callerIdentity?.Arn ?? `arn:aws:iam::${state.account}:user/new-owner`;
}

type BodyProblem = "too-large" | "bad-gzip";

/** The request body, gunzipped; a problem is reported (the rest drained) so that the connection keeps serving. */
async function readBody(req: IncomingMessage): Promise<Buffer | BodyProblem | "aborted"> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    }
  } catch {
    return "aborted";
  }
  if (size > MAX_BODY_BYTES) return "too-large";
  const raw = Buffer.concat(chunks);
  if (!/\bgzip\b/i.test(String(req.headers["content-encoding"] ?? ""))) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? "too-large" : "bad-gzip";
  }
}

function bodyError(problem: BodyProblem): AwsError {
  return problem === "too-large"
    ? new AwsError("RequestEntityTooLarge", `Request body is larger than ${MAX_BODY_BYTES} bytes`, { status: 413 })
    : new AwsError("SerializationException", "The gzip request body could not be decompressed");
}

function wireRequest(req: IncomingMessage, body: Buffer | BodyProblem): WireRequest {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: typeof body === "string" ? Buffer.alloc(0) : body,
  };
}

function send(
  res: ServerResponse,
  request: WireRequest,
  response: WireResponse,
  service: BoundService | undefined,
  now: Date,
  requestId: string,
): void {
  const body = typeof response.body === "string" ? Buffer.from(response.body, "utf8") : response.body;
  const idHeaders: Record<string, string> =
    service?.definition.protocol === "restXml"
      ? { "x-amz-request-id": requestId, "x-amz-id-2": Buffer.from(requestId).toString("base64") }
      : { "x-amzn-RequestId": requestId };
  res.writeHead(response.status, {
    ...response.headers,
    ...idHeaders,
    Date: now.toUTCString(),
    "Content-Length": String(request.method === "HEAD" ? 0 : body.length),
  });
  res.end(request.method === "HEAD" ? undefined : body);
}
