// awsQuery (IAM, STS, ELBv2): a form body `Action=<Op>&Version=…`; the answer is XML with an `<OpResult>` wrapper
// (without it the SDK silently reads nothing) and `<member>` list items; errors as `<ErrorResponse>`.
import { apiSchemas, readForm } from "../schema";
import { AwsError } from "../service";
import { resolveError } from "./errors";
import { formAction, formParams, ofVersion } from "./form";
import type { ParsedOperation, ProtocolAdapter, WireResponse } from "./types";
import { element, xmlMembers, xmlns, xmlText } from "./xml";

const CONTENT_TYPE = "text/xml";

export const awsQuery: ProtocolAdapter = {
  protocol: "awsQuery",
  parse(request, service): ParsedOperation {
    const params = formParams(request);
    const name = formAction(params);
    const schema = ofVersion(service, params) ? apiSchemas(service.api.clientPackage).operations.get(name) : undefined;
    return { name, schema, input: () => (schema ? readForm(schema.input, params, false) : {}) };
  },
  writeOutput(service, operation, output, requestId): WireResponse {
    const schema = operation.schema;
    const result =
      schema && !schema.output.isUnitSchema()
        ? element(`${operation.name}Result`, xmlMembers(schema.output, output ?? {}))
        : "";
    const metadata = element("ResponseMetadata", element("RequestId", xmlText(requestId)));
    return {
      status: 200,
      headers: { "content-type": CONTENT_TYPE },
      body: element(`${operation.name}Response`, result + metadata, xmlns(service)),
    };
  },
  writeError(service, error: AwsError, requestId): WireResponse {
    const resolved = resolveError(service, error);
    const detail =
      element("Type", resolved.type) +
      element("Code", xmlText(resolved.queryCode)) +
      element("Message", xmlText(error.message));
    return {
      status: resolved.status,
      headers: { "content-type": CONTENT_TYPE },
      body: element(
        "ErrorResponse",
        element("Error", detail) + element("RequestId", xmlText(requestId)),
        xmlns(service),
      ),
    };
  },
  unknownOperation(name) {
    return new AwsError("InvalidAction", `The action ${name} is not valid for this web service.`);
  },
};
