// The secrets task definitions reference through `secrets[].valueFrom`: whether each exists, never its value
// (DescribeSecret only — GetSecretValue is never called).
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { known } from "../aws/known";
import type { Reader } from "./reader";
import type { SnapshotSecret } from "./snapshot";

export function readSecret(reader: Reader, reference: string): Promise<SnapshotSecret> {
  return reader.once(`secret:${reference}`, async (): Promise<SnapshotSecret> => {
    if (!/^arn:aws[a-z-]*:secretsmanager:/.test(reference)) {
      // An SSM parameter (name or ARN): no SSM client here, so its existence stays unknown rather than assumed.
      return {
        reference,
        store: "ssm",
        exists: {
          status: "unknown",
          error: "NotRead",
          message: `SSM parameter ${reference.split(":").pop()} is not read by discovery`,
        },
      };
    }
    // arn:aws:secretsmanager:region:account:secret:name-AbCdEf[:json-key:version-stage:version-id]
    const secretId = reference.split(":").slice(0, 7).join(":");
    let arn: string | undefined;
    let name: string | undefined;
    let kmsKeyId: string | undefined;
    const exists = await known("secretsmanager:DescribeSecret", async () => {
      try {
        const out = await reader.aws.secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
        arn = out.ARN;
        name = out.Name;
        kmsKeyId = out.KmsKeyId;
        return out.DeletedDate === undefined;
      } catch (error) {
        if (error instanceof Error && error.name === "ResourceNotFoundException") return false;
        throw error;
      }
    });
    return {
      reference,
      store: "secretsmanager",
      ...(arn ? { arn } : { arn: secretId }),
      ...(name ? { name } : {}),
      exists,
      ...(kmsKeyId ? { kmsKeyId } : {}),
    };
  });
}
