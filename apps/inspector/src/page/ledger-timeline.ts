/// <reference lib="dom" />
import type { LedgerRecord } from '@galt/protocol';
import { ledgerFacets } from '../ledger-facets.js';
import { escapeXml } from '../svg-plot.js';
import type { ApiClient } from './api-client.js';

/** Ledger records fetched per "Load more". */
const LEDGER_PAGE = 200;

interface Filters {
  kind: string;
  agent: string;
  layer: string;
}

/** The ledger as a filterable timeline, paged from the server, with the chain's status. */
export class LedgerTimeline {
  private readonly records: LedgerRecord[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly element: (id: string) => HTMLElement,
  ) {}

  /** Verifies the chain, loads the first page and binds the filters and the "Load more" button. */
  async load(): Promise<void> {
    // A rejected token throws here, before any control is bound to this timeline.
    await this.verify();
    for (const id of ['ledger-kind', 'ledger-agent', 'ledger-layer']) {
      this.element(id).addEventListener('input', () => this.render());
    }
    this.element('ledger-more').addEventListener('click', () => void this.loadMore());
    await this.fetchPage();
  }

  /**
   * Fetches new records every `intervalMs` while `active` returns true, and verifies the chain
   * again when some arrived. A poll starts only after the previous one finished.
   */
  poll(intervalMs: number, active: () => boolean): void {
    let polling = false;
    setInterval(() => {
      if (polling || !active()) return;
      polling = true;
      this.fetchPage()
        .then((added) => (added > 0 ? this.verify() : undefined))
        .catch((error: unknown) => {
          this.element('chain-status').textContent = `ledger poll failed: ${String(error)}`;
        })
        .finally(() => {
          polling = false;
        });
    }, intervalMs);
  }

  /** Verifies the chain again and fetches the next page of records after the last one loaded. */
  async loadMore(): Promise<void> {
    await this.verify();
    await this.fetchPage();
  }

  private async verify(): Promise<void> {
    const verification = await this.api.verify();
    const status = this.element('chain-status');
    status.textContent = verification.ok
      ? `chain verified (${verification.records} records)`
      : `chain BROKEN at seq ${verification.firstBadSeq}: ${verification.reason ?? ''}`;
    status.className = verification.ok ? 'good' : 'bad';
  }

  /** Fetches the next page after the last record loaded and returns how many records it added. */
  private async fetchPage(): Promise<number> {
    const after = this.records.at(-1)?.seq ?? 0;
    const page = await this.api.ledger(after, LEDGER_PAGE);
    if (page.length === 0) return 0;
    this.records.push(...page);
    this.updateKinds();
    this.render();
    return page.length;
  }

  private filters(): Filters {
    const value = (id: string) => (this.element(id) as HTMLInputElement).value.trim();
    return {
      kind: value('ledger-kind'),
      agent: value('ledger-agent'),
      layer: value('ledger-layer'),
    };
  }

  private updateKinds(): void {
    const select = this.element('ledger-kind') as HTMLSelectElement;
    const present = new Set(Array.from(select.options).map((option) => option.value));
    for (const record of this.records) {
      if (present.has(record.kind)) continue;
      present.add(record.kind);
      select.add(new Option(record.kind, record.kind));
    }
  }

  private render(): void {
    const filters = this.filters();
    const rows: string[] = [];
    for (const record of this.records) {
      const facets = ledgerFacets(record);
      if (filters.kind !== '' && record.kind !== filters.kind) continue;
      if (filters.agent !== '' && !(facets.agentId ?? '').includes(filters.agent)) continue;
      if (filters.layer !== '' && facets.layer !== filters.layer) continue;
      rows.push(
        `<li class="ledger-record" data-kind="${escapeXml(record.kind)}">#${record.seq} ` +
          `t${record.tick} <b>${escapeXml(record.kind)}</b> ${escapeXml(facets.agentId ?? '')} ` +
          `${escapeXml(facets.layer ?? '')} ${escapeXml(facets.summary)} ` +
          `<span title="${record.hash}">${record.hash.slice(0, 10)}</span></li>`,
      );
    }
    this.element('ledger-list').innerHTML = rows.join('');
  }
}
