/**
 * Which server-side filters this tenant's service accepts ("Get a list of referrals"
 * documents neither `updatedDateTime` nor `externalReferenceId` as a filter, so both are probed).
 * Starts from configuration; a 400 on a filter switches to the fallback, and the switch is kept in
 * the state store so a restart does not pay for the failed probe again.
 */
import type { Logger } from 'pino';
import type { StateStore } from '../../src/store/types.js';

/** Which server-side filters are in use; see `filters` in options.ts. */
export interface FilterModes {
  externalReferenceId: 'server' | 'scan';
  updatedDateTime: 'server' | 'clientSide';
}

const STORE_KEY = 'partnerCenter:filterModes';

/** The current filter modes, loaded from and saved to the state store. */
export class FilterCapabilities {
  private modes: FilterModes;
  private loaded = false;

  constructor(
    configured: FilterModes,
    private readonly deps: { store?: StateStore | undefined; logger: Logger },
  ) {
    this.modes = { ...configured };
  }

  async get(): Promise<FilterModes> {
    if (!this.loaded && this.deps.store !== undefined) {
      const saved = await this.deps.store.getCursor(STORE_KEY);
      if (saved !== null) {
        try {
          const v = JSON.parse(saved) as Partial<FilterModes>;
          if (v.externalReferenceId === 'scan') this.modes.externalReferenceId = 'scan';
          if (v.updatedDateTime === 'clientSide') this.modes.updatedDateTime = 'clientSide';
        } catch {
          this.deps.logger.warn({ key: STORE_KEY }, 'ignoring an unreadable saved Partner Center filter mode');
        }
      }
    }
    this.loaded = true;
    return { ...this.modes };
  }

  /** Records that the server rejected a filter; later calls use the fallback. */
  async fallBack(filter: keyof FilterModes): Promise<void> {
    if (filter === 'externalReferenceId') this.modes.externalReferenceId = 'scan';
    else this.modes.updatedDateTime = 'clientSide';
    this.deps.logger.warn({ filter }, 'Partner Center rejected a server-side filter; using the client-side fallback from now on');
    await this.deps.store?.setCursor(STORE_KEY, JSON.stringify(this.modes));
  }
}
