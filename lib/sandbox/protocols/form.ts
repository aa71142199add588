// The form body awsQuery and ec2Query requests carry (parameters in the URL query count too, as AWS accepts them).
import { AwsError } from "../service";
import type { BoundService, WireRequest } from "./types";

export function formParams(request: WireRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) params.set(key, value);
  return params;
}

/** The Action of a form request, or the family's MissingAction. */
export function formAction(params: URLSearchParams): string {
  const action = params.get("Action");
  if (!action) throw new AwsError("MissingAction", "The request must contain the parameter Action.");
  return action;
}

/** Whether the request speaks this service's API version (routed by its signing scope, it may speak another's). */
export function ofVersion(service: BoundService, params: URLSearchParams): boolean {
  const version = params.get("Version");
  return version === null || service.api.version === undefined || version === service.api.version;
}
