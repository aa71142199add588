import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/image/ecr-tag-mutable";
import { actions, altered, failing, fixture, PLANTED_SECRET, planned } from "./fixture-verdicts";

describe("ecr-tag-mutable fix", () => {
  test("inherited: one PutImageTagMutability IMMUTABLE on my-web-app, reading and changing the repository", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ check: "ecr-tag-mutable", resource: "repository my-web-app", manual: false });
    expect(actions(change)).toEqual(["ecr:PutImageTagMutability"]);
    expect(change?.steps[0]).toMatchObject({
      id: "ecr:PutImageTagMutability:my-web-app",
      call: { input: { repositoryName: "my-web-app", imageTagMutability: "IMMUTABLE" } },
      changes: { kind: "repository", name: "my-web-app" },
    });
    expect(change?.reads).toEqual([{ kind: "repository", name: "my-web-app" }]);
    expect(change?.risk).toMatch(/pushes the same tag again/);
    expect(change?.rollback.join(" ")).toMatch(/back to MUTABLE/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("clean: the check passes, so there is nothing to plan", () => {
    expect(failing(fixture("clean"), "ecr-tag-mutable")).toEqual([]);
  });

  test("a service that runs :latest is named in the risk: its pipeline re-pushes that tag", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      const image = s.images[0] as { image: string; tag?: string };
      image.image = image.image.replace(":v1", ":latest");
      image.tag = "latest";
    });
    const [change] = planned(fix, snapshot);
    expect(change?.risk).toMatch(/runs my-web-app:latest/);
    expect(change?.notes.join(" ")).toMatch(/pin a version tag first/);
  });

  test("MUTABLE_WITH_EXCLUSION: says the exclusions are dropped and rolls back to them", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      if (s.repositories.status !== "known") throw new Error("fixture");
      const repository = s.repositories.value[0]?.repository as Record<string, unknown>;
      repository.imageTagMutability = "MUTABLE_WITH_EXCLUSION";
      repository.imageTagMutabilityExclusionFilters = [{ filter: "release-*", filterType: "WILDCARD" }];
    });
    const [change] = planned(fix, snapshot);
    expect(change?.notes.join(" ")).toMatch(/exclusion filters \(release-\*\) are dropped/);
    expect(change?.rollback[0]).toMatch(/MUTABLE_WITH_EXCLUSION \(exclusions release-\*\)/);
  });
});
