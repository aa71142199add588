// The form body awsQuery and ec2Query requests carry (parameters in the URL query count too, as AWS accepts them).
import { AwsError } from "../service";
import type { WireRequest } from "./types";

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
