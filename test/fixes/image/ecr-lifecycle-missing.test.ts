import { describe, expect, test } from "vitest";
import { fix, KEEP_IMAGES, lifecyclePolicy, UNTAGGED_DAYS } from "../../../lib/fixes/image/ecr-lifecycle-missing";
import { validateLifecyclePolicy } from "../../../lib/sandbox/services/ecr-lifecycle";
import { actions, altered, failing, fixture, PLANTED_SECRET, planned } from "./fixture-verdicts";

const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1";

describe("ecr-lifecycle-missing fix", () => {
  test("inherited: one PutLifecyclePolicy that shields v1, expires untagged images, keeps the newest 30", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "repository my-web-app", manual: false });
    expect(actions(change)).toEqual(["ecr:PutLifecyclePolicy"]);
    const input = change?.steps[0]?.call.input as { repositoryName: string; lifecyclePolicyText: string };
    expect(input.repositoryName).toBe("my-web-app");
    expect(JSON.parse(input.lifecyclePolicyText)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "keep v1: a service runs it",
          selection: { tagStatus: "tagged", tagPatternList: ["v1"], countType: "imageCountMoreThan", countNumber: 1 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `expire untagged images ${UNTAGGED_DAYS} days after their push`,
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
          action: { type: "expire" },
        },
        {
          rulePriority: 3,
          description: `keep the newest ${KEEP_IMAGES} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
          action: { type: "expire" },
        },
      ],
    });
    // ECR's own validation (as the sandbox applies it) accepts it.
    expect(() => validateLifecyclePolicy(input.lifecyclePolicyText)).not.toThrow();
    expect(change?.reads).toEqual([
      { kind: "repository", name: "my-web-app" },
      { kind: "image", image: IMAGE },
    ]);
    expect(change?.outcome).toMatch(/the images the services run \(v1\) are kept whatever their age/);
    expect(change?.rollback.join(" ")).toMatch(/delete my-web-app's lifecycle policy/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("clean: the repository has a policy, so there is nothing to plan", () => {
    expect(failing(fixture("clean"), "ecr-lifecycle-missing")).toEqual([]);
  });

  test("without images in use the policy has only the untagged and newest-30 rules, and ECR accepts it", () => {
    const text = lifecyclePolicy([]);
    expect((JSON.parse(text) as { rules: unknown[] }).rules).toHaveLength(2);
    expect(() => validateLifecyclePolicy(text)).not.toThrow();
  });

  test("an image in use by digest with no tag cannot be shielded: no steps, and the notes say to tag it", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      const image = s.images[0] as { image: string; tag?: string; detail: { value: { imageTags?: string[] } } };
      image.image = image.image.replace(
        ":v1",
        "@sha256:475bc01830298ac04af741fd05057c37128fe0d19d3b162a0ab2033f8f20a29b",
      );
      delete image.tag;
      delete image.detail.value.imageTags;
    });
    const [change] = planned(fix, snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change?.notes[0]).toMatch(/run by digest and carries no tag/);
  });

  test("an image in use by digest that ECR lists with a tag is shielded by that tag", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      const image = s.images[0] as { image: string; tag?: string };
      image.image = image.image.replace(
        ":v1",
        "@sha256:475bc01830298ac04af741fd05057c37128fe0d19d3b162a0ab2033f8f20a29b",
      );
      delete image.tag;
    });
    const [change] = planned(fix, snapshot);
    const text = String(change?.steps[0]?.call.input.lifecyclePolicyText);
    expect(JSON.parse(text).rules[0].selection.tagPatternList).toEqual(["v1"]);
  });
});
