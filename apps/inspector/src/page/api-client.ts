/// <reference lib="dom" />
import {
  type ChainVerification,
  ChainVerificationSchema,
  type LedgerRecord,
  LedgerRecordSchema,
  type StreamEvent,
  StreamEventSchema,
} from '@galt/protocol';
import { z } from 'zod';

/** Page size of event and ledger requests, the maximum the server accepts. */
export const API_PAGE = 1000;

/** Raised when the server rejects the token with 401. */
export class TokenRejectedError extends Error {}

const LedgerPageSchema = z.object({ records: z.array(LedgerRecordSchema) });
const EventPageSchema = z.object({
  headSeq: z.number().int().nonnegative(),
  events: z.array(StreamEventSchema),
});

/** Reads the run's JSON routes with the token in an Authorization header, never in the URL. */
export class ApiClient {
  constructor(private readonly token: string) {}

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${this.token}` } });
    if (response.status === 401) throw new TokenRejectedError('the server rejected the token');
    if (!response.ok) throw new Error(`GET ${path} failed with HTTP ${response.status}`);
    return schema.parse(await response.json());
  }

  /** Verifies the ledger's hash chain on the server. */
  verify(): Promise<ChainVerification> {
    return this.get('/api/verify', ChainVerificationSchema);
  }

  /** Reads ledger records with `seq > afterSeq`. */
  async ledger(afterSeq: number, limit = API_PAGE): Promise<LedgerRecord[]> {
    const page = await this.get(`/api/ledger?fromSeq=${afterSeq}&limit=${limit}`, LedgerPageSchema);
    return page.records;
  }

  /** Reads stored feed events with `seq > afterSeq`, and the feed's head sequence number. */
  events(afterSeq: number, limit = API_PAGE): Promise<{ headSeq: number; events: StreamEvent[] }> {
    return this.get(`/api/events?fromSeq=${afterSeq}&limit=${limit}`, EventPageSchema);
  }

  /** Reads every stored event with `afterSeq < seq ≤ untilSeq`, page by page. */
  async eventsBetween(afterSeq: number, untilSeq: number): Promise<StreamEvent[]> {
    const collected: StreamEvent[] = [];
    let cursor = afterSeq;
    while (cursor < untilSeq) {
      const page = await this.events(cursor, Math.min(API_PAGE, untilSeq - cursor));
      if (page.events.length === 0) break;
      for (const event of page.events) if (event.seq <= untilSeq) collected.push(event);
      cursor = page.events.at(-1)?.seq ?? untilSeq;
    }
    return collected;
  }
}
