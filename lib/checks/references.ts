// Where the checks' references point: Security Hub controls, the seed talk's steps, and the AWS guides.
import type { Reference } from "./check";

/** A Security Hub CSPM control, e.g. securityHub("ECS", 2) → "Security Hub ECS.2" with its documentation anchor. */
export function securityHub(service: "ECS" | "EC2" | "ELB" | "IAM" | "ECR" | "CloudTrail", number: number): Reference {
  const page = service.toLowerCase();
  return {
    label: `Security Hub ${service}.${number}`,
    url: `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html#${page}-${number}`,
  };
}

/** A step of the seed talk's security pass (DESIGN §1). */
export function seedTalk(step: number, topic: string): Reference {
  return { label: `Seed talk, security step ${step}: ${topic}` };
}

/** A page of the Amazon ECS developer guide. */
export function ecsGuide(label: string, page: string): Reference {
  return { label, url: `https://docs.aws.amazon.com/AmazonECS/latest/developerguide/${page}` };
}

/** A page of another AWS guide, by its path under docs.aws.amazon.com. */
export function awsDoc(label: string, path: string): Reference {
  return { label, url: `https://docs.aws.amazon.com/${path}` };
}
