// ec2Query (EC2): a form body with capitalised, flattened keys (`GroupId.1`, `Filter.1.Value.1`); the answer is XML
// with `<requestId>` first, no Result wrapper, lowerCamel `xmlName` elements and `<item>` list items; errors as
// `<Response><Errors><Error>` (EC2 models no exceptions: the SDK names the error after the code).
import { apiSchemas, readForm } from "../schema";
import { AwsError } from "../service";
import { formAction, formParams, ofVersion } from "./form";
import type { ParsedOperation, ProtocolAdapter, WireResponse } from "./types";
import { element, xmlMembers, xmlns, xmlText } from "./xml";

const CONTENT_TYPE = "text/xml;charset=UTF-8";

export const ec2Query: ProtocolAdapter = {
  protocol: "ec2Query",
  parse(request, service): ParsedOperation {
    const params = formParams(request);
    const name = formAction(params);
    const schema = ofVersion(service, params) ? apiSchemas(service.api.clientPackage).operations.get(name) : undefined;
    return { name, schema, input: () => (schema ? readForm(schema.input, params, true) : {}) };
  },
  writeOutput(service, operation, output, requestId): WireResponse {
    const members = operation.schema ? xmlMembers(operation.schema.output, output ?? {}) : "";
    return {
      status: 200,
      headers: { "content-type": CONTENT_TYPE },
      body: element(`${operation.name}Response`, element("requestId", xmlText(requestId)) + members, xmlns(service)),
    };
  },
  writeError(_service, error: AwsError, requestId): WireResponse {
    const detail = element("Code", xmlText(error.code)) + element("Message", xmlText(error.message));
    const errors = element("Errors", element("Error", detail));
    return {
      status: error.status,
      headers: { "content-type": CONTENT_TYPE },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n${element("Response", errors + element("RequestID", xmlText(requestId)))}`,
    };
  },
  unknownOperation(name) {
    return new AwsError("InvalidAction", `The action ${name} is not valid for this web service.`);
  },
};
