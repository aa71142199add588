// The inherited fixture with its running task definition altered, for the runtime fix tests.
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { altered, fixture } from "../image/fixture-verdicts";

export const TD_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";
export const REVISION_READ = { kind: "task-definition", arn: TD_ARN } as const;

/** The inherited snapshot with `patch` applied to its task definition (and `container` to its app container). */
export function inheritedWith(patch: Record<string, unknown>, container: Record<string, unknown> = {}): Snapshot {
  return altered(fixture("inherited"), (s) => {
    const definition = s.taskDefinitions[TD_ARN] as {
      value: Record<string, unknown> & { containerDefinitions: object[] };
    };
    Object.assign(definition.value, patch);
    Object.assign(definition.value.containerDefinitions[0] as object, container);
  });
}
