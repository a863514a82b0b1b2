/** The one xml2js call the tests make (xml2js ships without types; jsforce depends on it). */
declare module 'xml2js' {
  export function parseStringPromise(xml: string, options?: { explicitArray?: boolean }): Promise<unknown>;
}
