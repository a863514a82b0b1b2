/**
 * Error shapes (Salesforce REST API Developer Guide, "Status Codes and Error Responses"): top-level REST errors are an array of
 * `{message, errorCode, fields?}`; sObject Collections rows carry `{statusCode, message, fields}`.
 * Inside the emulator an error is one `SfError`, turned into either shape at the edge.
 */
export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function sfError(statusCode: string, message: string, fields: string[] = []): SfError {
  return { statusCode, message, fields };
}

/** A whole request fails: the HTTP status and the error array ("Status Codes and Error Responses"). */
export class SfRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SfError[],
  ) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
    this.name = 'SfRequestError';
  }
}

export function requestError(status: number, statusCode: string, message: string, fields?: string[]): SfRequestError {
  return new SfRequestError(status, [sfError(statusCode, message, fields)]);
}

/** The top-level REST error body ("Status Codes and Error Responses"): `fields` only when the error is about fields. */
export function toRestErrors(errors: readonly SfError[]): Array<{ message: string; errorCode: string; fields?: string[] }> {
  return errors.map((e) => (e.fields.length > 0 ? { message: e.message, errorCode: e.statusCode, fields: e.fields } : { message: e.message, errorCode: e.statusCode }));
}
