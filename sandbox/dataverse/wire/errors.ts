/**
 * Dataverse error answers: `{ error: { code, message } }` with a hex code unrelated to the HTTP
 * status (Dataverse developer guide, "Compose HTTP requests and handle errors", Dataverse "Web service error codes"). Thrown inside the emulator and turned into a response at the edge.
 */

export class DvError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The codes of Dataverse "Web service error codes", named. Ones that page does not list say so. */
export const CODES = {
  objectDoesNotExist: '0x80040217',
  concurrencyVersionMismatch: '0x80060882',
  resourceNotFoundForSegment: '0x8006088a',
  propertyNotFound: '0x0',
  validation: '0x80044331',
  // Not listed there: the code of an alternate-key clash (as integrations see it).
  duplicateRecord: '0x80040237',
  // Not listed there: the generic invalid-argument code, used where the docs give none.
  invalidArgument: '0x80040203',
  requestsLimit: '0x80072322',
  executionTimeLimit: '0x80072321',
  concurrencyLimit: '0x80072326',
  // Not in the docs: ExpiredVersionStamp, the platform's code for a change-tracking token
  // older than the retention window ("Use change tracking to synchronize data with external systems" gives no code or status).
  expiredVersionStamp: '0x80044352',
} as const;

export const notFound = (logicalName: string, id: string): DvError =>
  new DvError(404, CODES.objectDoesNotExist, `${logicalName} With Id = ${id} Does Not Exist`);

export const segmentNotFound = (segment: string): DvError =>
  new DvError(404, CODES.resourceNotFoundForSegment, `Resource not found for the segment '${segment}'.`);

export const propertyNotFound = (name: string, logicalName: string): DvError =>
  new DvError(400, CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`);

export const badRequest = (message: string, code: string = CODES.invalidArgument): DvError => new DvError(400, code, message);
