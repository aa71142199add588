// The contract between the sandbox's wire layer and its services. A service is a table of operation → handler
// over plain state; handlers know nothing about wire formats, and protocol adapters know nothing about services.
import type { SandboxState } from "./state";

/** The wire protocol family a service speaks (../shared/reference/aws-protocols.md). */
export type Protocol = "awsJson1_1" | "awsJson1_0" | "awsQuery" | "ec2Query" | "restJson1" | "restXml";

/** What a handler may use besides its input. Everything here is deterministic for a given scenario and clock. */
export interface RequestContext {
  readonly state: SandboxState;
  /** The sandbox's virtual clock for this request. */
  readonly now: Date;
  readonly account: string;
  readonly region: string;
  readonly requestId: string;
  /** A fresh deterministic id: `hex(length)` lowercase hex characters drawn from the state's sequence. */
  hex(length: number): string;
  /** Call after changing state, so that `--state FILE` is written (atomically) once the request is done. */
  changed(): void;
}

/**
 * A handler receives the operation's input as the SDK would build it (member names as in the API reference,
 * timestamps as Date, blobs as Uint8Array) and returns the output the same way; the protocol adapter walks the
 * SDK's own schemas to read the request and to write the response.
 */
export type Handler = (input: Record<string, unknown>, context: RequestContext) => unknown;

export interface ServiceDefinition {
  /** The SigV4 signing name and the IAM action prefix: "ecs", "ec2", "elasticloadbalancing", "iam", … */
  readonly signingName: string;
  /** The IAM action prefix when it differs from the signing name (ELBv2's is "elasticloadbalancing" for both). */
  readonly actionPrefix?: string;
  readonly protocol: Protocol;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Called before every request to any service: lets time-driven behaviour (deployments) move on. */
  readonly tick?: (context: RequestContext) => void;
}

/** An error the service answers with; the protocol adapter writes it in the family's format. */
export class AwsError extends Error {
  override name = "AwsError";
  readonly status: number;
  readonly fault: "client" | "server";

  constructor(
    readonly code: string,
    message: string,
    options: { status?: number; fault?: "client" | "server" } = {},
  ) {
    super(message);
    this.fault = options.fault ?? ((options.status ?? 400) >= 500 ? "server" : "client");
    this.status = options.status ?? (this.fault === "server" ? 500 : 400);
  }
}
