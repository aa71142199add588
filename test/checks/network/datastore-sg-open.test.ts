import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/network/datastore-sg-open";
import { denied, known } from "../fixtures";
import { DB_SG, securityGroup, securityGroups, TASK_SG, tcpFrom, webService } from "./web-service";

const DB = "sg-AuroraDB (sg-0c33d44e55f66a77b)";

describe("datastore-sg-open", () => {
  test("fails when the database admits the whole VPC, and says to admit only the tasks' group", () => {
    const [verdict] = run(webService("inherited"));
    expect(verdict).toMatchObject({ status: "fail", resource: DB });
    const detail = verdict?.status === "fail" ? verdict.detail : "";
    expect(detail).toContain("amazon-rds (RDSNetworkInterface)");
    expect(detail).toContain("port 3306 from 10.0.0.0/16 (the whole VPC my-vpc)");
    expect(detail).toContain("admit it only from sg-ECSTask (sg-0b22c33d44e55f66a)");
  });

  test("fails on a range even when the tasks' group is admitted too", () => {
    const groups = securityGroups("clean").map((g) =>
      g.GroupId === DB_SG
        ? securityGroup(DB_SG, "my-db", "sg-AuroraDB", [
            tcpFrom(3306, { groupId: TASK_SG }),
            tcpFrom(3306, { cidr: "192.168.0.0/16" }),
          ])
        : g,
    );
    expect(run(webService("clean", { securityGroups: known(groups) }))[0]?.status).toBe("fail");
  });

  test("passes when only the tasks' group is admitted", () => {
    expect(run(webService("clean"))).toEqual([
      {
        status: "pass",
        resource: DB,
        detail: "the amazon-rds (RDSNetworkInterface) data store admits only sg-ECSTask (sg-0b22c33d44e55f66a)",
      },
    ]);
  });

  test("unknown when the data stores' interfaces or the groups could not be read", () => {
    expect(run(webService("inherited", { dataStores: denied("ec2:DescribeNetworkInterfaces") }))).toEqual([
      expect.objectContaining({ status: "unknown", missing: "ec2:DescribeNetworkInterfaces" }),
    ]);
    expect(run(webService("inherited", { securityGroups: denied("ec2:DescribeSecurityGroups") }))).toEqual([
      expect.objectContaining({ status: "unknown", resource: DB_SG, missing: "ec2:DescribeSecurityGroups" }),
    ]);
  });

  test("nothing to judge without data stores", () => {
    expect(run(webService("inherited", { dataStores: known([]) }))).toEqual([]);
  });
});
