// The shapes every protocol adapter shares: a request as received, a response to send, a service bound to its API.
import type { OperationSchema } from "../schema";
import type { AwsError, Protocol, ServiceDefinition } from "../service";
import type { ApiDescription } from "./catalog";

export interface WireRequest {
  readonly method: string;
  /** The path without the query string, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A service definition together with the API description its wire format is read from. */
export interface BoundService {
  readonly definition: ServiceDefinition;
  readonly api: ApiDescription;
}

/** What an adapter found in a request: the operation's name and, when the SDK models it, its schema. */
export interface ParsedOperation {
  readonly name: string;
  readonly schema?: OperationSchema;
  /** Builds the SDK input; throws AwsError for a body the family would call malformed. */
  readonly input: () => Record<string, unknown>;
}

export interface ProtocolAdapter {
  readonly protocol: Protocol;
  /** Names the operation (throws AwsError when the request cannot be read at all). */
  parse(request: WireRequest, service: BoundService): ParsedOperation;
  writeOutput(service: BoundService, operation: ParsedOperation, output: unknown, requestId: string): WireResponse;
  writeError(service: BoundService | undefined, error: AwsError, requestId: string, request: WireRequest): WireResponse;
  /** The family's answer to an operation the sandbox does not serve. */
  unknownOperation(name: string): AwsError;
}
