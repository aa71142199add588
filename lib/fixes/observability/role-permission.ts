// A permission an observability fix needs on a role the task definition names (the execution role writes logs, the
// task role sends traces): nothing when the role's policies already grant it, else one inline policy. An
// administrator policy does not count as granting it: the takeover replaces it by least privilege (task-role-admin),
// and what the telemetry needs must survive that.
import { administratorPolicy, allowingStatements, statementsOf } from "../../checks/iam/policy";
import { findRole, roleName } from "../../checks/iam/scope";
import type { Snapshot } from "../../inventory/snapshot";
import { step } from "../fix";
import type { ResourceRef, Step } from "../plan";

export interface Permission {
  /** "execution role" or "task role", for people. */
  readonly role: string;
  readonly actions: readonly string[];
  /** What the policy names as its Resource. */
  readonly resource: string;
  /** A resource the actions are used on, to test what the role already has (a stream of the group, say). */
  readonly usedOn: string;
  readonly policyName: string;
}

/** The steps that give the role the permission (none when it has it), what they relied on, and what to know. */
export function permissionSteps(
  snapshot: Snapshot,
  roleReference: string,
  permission: Permission,
): { readonly steps: Step[]; readonly notes: string[]; readonly reads: ResourceRef[] } {
  const name = roleName(roleReference);
  const role = findRole(snapshot, roleReference);
  const roleArn = role?.status === "known" ? role.value.arn : roleReference;
  const reads: ResourceRef[] = [{ kind: "role", arn: roleArn }];
  const policies =
    role?.status === "known" && role.value.policies.status === "known" ? role.value.policies.value : undefined;
  if (policies !== undefined) {
    const statements = statementsOf(policies.filter((policy) => administratorPolicy([policy]) === undefined));
    const granted = permission.actions.map((action) => allowingStatements(statements, action, permission.usedOn));
    if (granted.every((allowing) => allowing.length > 0)) {
      const by = [...new Set(granted.flat().map((statement) => statement.policy))].join(", ");
      const allowed = `${permission.actions.join(", ")} on ${permission.resource}`;
      return {
        steps: [],
        notes: [`${permission.role} ${name} already allows ${allowed} (${by}): no policy added`],
        reads,
      };
    }
  }
  const document = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: [...permission.actions], Resource: permission.resource }],
  };
  return {
    steps: [
      step(
        `iam:PutRolePolicy:${name}/${permission.policyName}`,
        `${permission.role} ${name}: allow ${permission.actions.join(", ")} on ${permission.resource} ` +
          `(inline policy ${permission.policyName})`,
        {
          service: "iam",
          action: "PutRolePolicy",
          input: { RoleName: name, PolicyName: permission.policyName, PolicyDocument: { $json: document } },
        },
        { kind: "role", arn: roleArn },
      ),
    ],
    notes:
      policies === undefined
        ? [`the policies of ${permission.role} ${name} could not be read: ${permission.policyName} is added in case`]
        : [],
    reads,
  };
}
