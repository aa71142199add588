import { describe, expect, test } from "vitest";
import { fix as imageTagLatest } from "../../../lib/fixes/image/image-tag-latest";
import { altered, failing, fixture, PLANTED_SECRET, planned } from "./fixture-verdicts";

describe("image-tag-latest fix", () => {
  test("a container on :latest: a manual plan that proposes the digest latest names today", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      const arn = Object.keys(s.taskDefinitions)[0] as string;
      const definition = s.taskDefinitions[arn] as {
        status: string;
        value: { containerDefinitions: { image?: string }[] };
      };
      const container = definition.value.containerDefinitions[0] as { image: string };
      container.image = container.image.replace(":v1", ":latest");
      (s.images[0] as { image: string }).image = container.image;
    });
    const [change] = planned(imageTagLatest, snapshot);
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [] });
    expect(change?.notes.join(" ")).toMatch(
      /pin 123456789012\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/my-web-app@sha256:475bc018/,
    );
    expect(change?.reads).toEqual([
      { kind: "task-definition", arn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1" },
    ]);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("inherited runs v1: nothing to plan", () => {
    expect(failing(fixture("inherited"), "image-tag-latest")).toEqual([]);
  });
});
