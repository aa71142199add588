// Account-level reads shared by every cluster: CloudTrail trails with their status and event selectors, the
// CloudWatch alarms, and the log groups the task definitions write to.
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { type MetricAlarm, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand, type LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import { known } from "../aws/known";
import { plain } from "./plain";
import type { Reader } from "./reader";
import type { Known, Plain, SnapshotTrail } from "./snapshot";

export function readTrails(reader: Reader): Promise<Known<SnapshotTrail[]>> {
  return reader.once("cloudtrail:trails", () =>
    known("cloudtrail:DescribeTrails", async () => {
      const ct = reader.aws.cloudTrail;
      const out = await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      return Promise.all(
        (out.trailList ?? []).map(async (trail): Promise<SnapshotTrail> => {
          const name = trail.TrailARN ?? trail.Name;
          const [isLogging, eventSelectors] = await Promise.all([
            known("cloudtrail:GetTrailStatus", async () => {
              const status = await ct.send(new GetTrailStatusCommand({ Name: name }));
              return status.IsLogging === true;
            }),
            known("cloudtrail:GetEventSelectors", async () => {
              const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: name }));
              return {
                basic: (selectors.EventSelectors ?? []).map((s) => plain(s)),
                advanced: (selectors.AdvancedEventSelectors ?? []).map((s) => plain(s)),
              };
            }),
          ]);
          return { trail: plain(trail), isLogging, eventSelectors };
        }),
      );
    }),
  );
}

export function readAlarms(reader: Reader): Promise<Known<Plain<MetricAlarm>[]>> {
  return reader.once("cloudwatch:alarms", () =>
    known("cloudwatch:DescribeAlarms", async () => {
      const alarms: Plain<MetricAlarm>[] = [];
      for await (const page of paginateDescribeAlarms(
        { client: reader.aws.cloudWatch, pageSize: 100 },
        { AlarmTypes: ["MetricAlarm"] },
      )) {
        for (const alarm of page.MetricAlarms ?? []) alarms.push(plain(alarm));
      }
      return alarms;
    }),
  );
}

/** A log group by exact name: DescribeLogGroups by prefix, then the one whose name matches (null when none). */
export function readLogGroup(reader: Reader, name: string): Promise<Known<Plain<LogGroup> | null>> {
  return reader.once(`logs:group:${name}`, () =>
    known("logs:DescribeLogGroups", async () => {
      let nextToken: string | undefined;
      do {
        const out = await reader.aws.logs.send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50, nextToken }),
        );
        const found = out.logGroups?.find((g) => g.logGroupName === name);
        if (found) return plain(found);
        nextToken = out.nextToken;
      } while (nextToken);
      return null;
    }),
  );
}
