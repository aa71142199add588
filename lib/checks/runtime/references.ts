// Where the checks' references point: Security Hub control pages and the ECS developer guide.
import type { Reference } from "../check";

/** A Security Hub CSPM control, e.g. securityHub("ECS", 4) → "Security Hub ECS.4" with its documentation anchor. */
export function securityHub(service: "ECS" | "ECR" | "CloudTrail", number: number): Reference {
  const page = service.toLowerCase();
  return {
    label: `Security Hub ${service}.${number}`,
    url: `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html#${page}-${number}`,
  };
}

/** A page of the Amazon ECS developer guide. */
export function ecsGuide(label: string, page: string): Reference {
  return { label, url: `https://docs.aws.amazon.com/AmazonECS/latest/developerguide/${page}` };
}
