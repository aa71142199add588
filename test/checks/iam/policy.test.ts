import { describe, expect, test } from "vitest";
import {
  administratorPolicy,
  allowingStatements,
  conditionValues,
  coversAction,
  coversResource,
  statementsOf,
  wildcardMatch,
} from "../../../lib/checks/iam/policy";
import { ADMINISTRATOR_ACCESS, inlinePolicy, LEAST_PRIVILEGE } from "../network/web-service";

describe("the IAM policy reader", () => {
  test("matches IAM wildcards: actions ignore case, resources do not", () => {
    expect(wildcardMatch("ecs:*", "ECS:UpdateService", true)).toBe(true);
    expect(wildcardMatch("ecs:Describe*", "ecs:UpdateService", true)).toBe(false);
    expect(wildcardMatch("arn:aws:s3:::bucket-??????", "arn:aws:s3:::bucket-Ab12Cd")).toBe(true);
    expect(wildcardMatch("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x")).toBe(false);
    expect(wildcardMatch("arn:aws:s3:::a.b", "arn:aws:s3:::aXb")).toBe(false);
  });

  test("reads NotAction and NotResource as everything but what they name", () => {
    const [statement] = statementsOf([
      inlinePolicy("power-user", [{ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" }]),
    ]);
    if (!statement) throw new Error("no statement");
    expect(coversAction(statement, "s3:GetObject")).toBe(true);
    expect(coversAction(statement, "iam:PassRole")).toBe(false);
    expect(coversResource(statement, "arn:aws:s3:::public/a")).toBe(true);
    expect(coversResource(statement, "arn:aws:s3:::secret/a")).toBe(false);
  });

  test("an unconditional Deny takes an Allow away; a conditional one is not trusted to", () => {
    const allow = { Effect: "Allow", Action: "iam:PassRole", Resource: "*" };
    const denied = statementsOf([inlinePolicy("p", [allow, { Effect: "Deny", Action: "iam:*", Resource: "*" }])]);
    expect(allowingStatements(denied, "iam:PassRole")).toEqual([]);
    const conditional = statementsOf([
      inlinePolicy("p", [
        allow,
        {
          Effect: "Deny",
          Action: "iam:PassRole",
          Resource: "*",
          Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
        },
      ]),
    ]);
    expect(allowingStatements(conditional, "iam:PassRole")).toHaveLength(1);
  });

  test("finds a condition key's values under any operator, ignoring the key's case", () => {
    const [statement] = statementsOf([
      inlinePolicy("p", [
        {
          Effect: "Allow",
          Action: "ecs:UpdateService",
          Resource: "*",
          Condition: { ArnEquals: { "ECS:Cluster": "arn:c" } },
        },
      ]),
    ]);
    if (!statement) throw new Error("no statement");
    expect(conditionValues(statement, "ecs:cluster")).toEqual(["arn:c"]);
    expect(conditionValues(statement, "iam:PassedToService")).toBeUndefined();
  });

  test("parses documents given as JSON text or URL-encoded JSON, and skips what does not parse", () => {
    const text = { ...LEAST_PRIVILEGE, document: JSON.stringify(LEAST_PRIVILEGE.document) };
    const encoded = { ...LEAST_PRIVILEGE, document: encodeURIComponent(JSON.stringify(LEAST_PRIVILEGE.document)) };
    expect(statementsOf([text])).toHaveLength(3);
    expect(statementsOf([encoded])).toHaveLength(3);
    expect(statementsOf([{ ...LEAST_PRIVILEGE, document: "{not json" }])).toEqual([]);
  });

  test("knows an administrator: AWS's AdministratorAccess, or any policy allowing * on *", () => {
    expect(administratorPolicy([LEAST_PRIVILEGE, ADMINISTRATOR_ACCESS])).toBe(ADMINISTRATOR_ACCESS);
    const homemade = inlinePolicy("god-mode", [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }]);
    expect(administratorPolicy([homemade])).toBe(homemade);
    expect(administratorPolicy([LEAST_PRIVILEGE])).toBeUndefined();
  });
});
