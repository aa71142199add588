// An AwsError matched against the service's modelled errors: the shape name the SDK turns into a class, the
// awsQuery code, the status the model gives, and the name of the message member.
import { apiSchemas, type ErrorShape } from "../schema";
import type { AwsError } from "../service";
import type { BoundService } from "./types";

export interface ResolvedError {
  /** The modelled shape name when there is one (ClusterNotFoundException), else the code as given. */
  readonly name: string;
  /** The code awsQuery and query-compatible JSON send (IAM `NoSuchEntity`). */
  readonly queryCode: string;
  readonly status: number;
  readonly type: "Sender" | "Receiver";
  readonly namespace?: string;
  /** `message` or `Message`, as the error shape spells it. */
  readonly messageKey: string;
}

export function resolveError(service: BoundService | undefined, error: AwsError): ResolvedError {
  const api = service ? apiSchemas(service.api.clientPackage) : undefined;
  const shape: ErrorShape | undefined = api?.errors.get(error.code);
  const fault = shape?.fault ?? error.fault;
  return {
    name: shape?.name ?? error.code,
    queryCode: shape ? (shape.queryCode ?? shape.name) : error.code,
    status: shape?.status ?? error.status,
    type: fault === "server" ? "Receiver" : "Sender",
    namespace: shape ? api?.namespace : undefined,
    messageKey: shape && hasMember(shape, "Message") && !hasMember(shape, "message") ? "Message" : "message",
  };
}

function hasMember(shape: ErrorShape, name: string): boolean {
  for (const [member] of shape.schema.structIterator()) if (member === name) return true;
  return false;
}
