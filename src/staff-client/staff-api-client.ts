/**
 * A small client for the ledger's staff API, shared by the staff elements.
 * Authentication is the host app's: its `fetch` (say, one that adds the
 * session's token) and/or extra headers, both handed over as properties;
 * by default the page's own session cookies go along. Never a token in an
 * HTML attribute.
 */
import type { ConsentSubject } from '../contract/consent-event.js';
import type {
  Audience,
  ErasureRequest,
  FrontDeskConsentRequest,
  LedgerEntry,
  StaffGrantRequest,
  SubjectStatus,
  WithdrawalRequest,
} from '../contract/ledger-records.js';

export type StaffFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface StaffClientOptions {
  /** Base URL of the ledger ("https://consent.salon-bella.ch" or "/ledger"). */
  ledger: string;
  fetch?: StaffFetch | undefined;
  headers?: Record<string, string> | undefined;
}

/** Why a staff request failed, in kinds the UI explains differently. */
export type StaffError =
  | { kind: 'unreachable'; message: string }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'rejected'; status: number; message: string; retryAfterSeconds?: number };

export class StaffApiError extends Error {
  constructor(readonly detail: StaffError) {
    super(detail.message);
  }
}

export class StaffApiClient {
  readonly #options: StaffClientOptions;

  constructor(options: StaffClientOptions) {
    this.#options = options;
  }

  status(subject: ConsentSubject): Promise<SubjectStatus> {
    return this.#json(`/v1/staff/status?${subjectQuery(subject)}`);
  }

  async history(subject: ConsentSubject): Promise<LedgerEntry[]> {
    return (await this.#json<{ entries: LedgerEntry[] }>(`/v1/staff/history?${subjectQuery(subject)}`)).entries;
  }

  grant(request: StaffGrantRequest): Promise<unknown> {
    return this.#json('/v1/staff/grants', { method: 'POST', body: JSON.stringify(request) });
  }

  /** A consent the customer ticked and signed at the front desk. */
  frontDeskConsent(request: FrontDeskConsentRequest): Promise<{ status: SubjectStatus }> {
    return this.#json('/v1/staff/front-desk-consents', { method: 'POST', body: JSON.stringify(request) });
  }

  withdraw(request: WithdrawalRequest): Promise<unknown> {
    return this.#json('/v1/staff/withdrawals', { method: 'POST', body: JSON.stringify(request) });
  }

  /** Erases the customer's personal data across all their records; answers how many records it made unreadable. */
  erase(request: ErasureRequest): Promise<{ erasedRecords: number; status: SubjectStatus }> {
    return this.#json('/v1/staff/erasures', { method: 'POST', body: JSON.stringify(request) });
  }

  /** The double opt-in mail again; refused (429, with `retryAfterSeconds`) shortly after the last one. */
  resendConfirmation(request: { purpose: string; email: string; staffName: string }): Promise<unknown> {
    return this.#json('/v1/staff/confirmation-mails', { method: 'POST', body: JSON.stringify(request) });
  }

  async proofLink(subject: ConsentSubject): Promise<string> {
    return (
      await this.#json<{ url: string }>('/v1/staff/proof-links', { method: 'POST', body: JSON.stringify({ subject }) })
    ).url;
  }

  audience(purpose: string): Promise<Audience> {
    return this.#json(`/v1/staff/audience?purpose=${encodeURIComponent(purpose)}`);
  }

  async audienceCsv(purpose: string): Promise<Blob> {
    return (await this.#request(`/v1/staff/audience?purpose=${encodeURIComponent(purpose)}&format=csv`)).blob();
  }

  async #json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await this.#request(path, init)).json() as Promise<T>;
  }

  async #request(path: string, init: RequestInit = {}): Promise<Response> {
    const base = this.#options.ledger.replace(/\/+$/, '');
    const doFetch: StaffFetch = this.#options.fetch ?? ((input, requestInit) => fetch(input, requestInit));
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        credentials: 'same-origin',
        ...init,
        headers: {
          'content-type': 'application/json',
          ...this.#options.headers,
          ...(init.headers as Record<string, string>),
        },
      });
    } catch (error) {
      throw new StaffApiError({ kind: 'unreachable', message: (error as Error).message });
    }
    if (response.ok) return response;
    const message = await response
      .json()
      .then((body: { error?: string }) => body.error ?? `HTTP ${response.status}`)
      .catch(() => `HTTP ${response.status}`);
    if (response.status === 401 || response.status === 403) throw new StaffApiError({ kind: 'unauthorized', message });
    // A proxy in front of a stopped ledger answers 502/503/504: as good as unreachable.
    if (response.status >= 502 && response.status <= 504) throw new StaffApiError({ kind: 'unreachable', message });
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new StaffApiError({
      kind: 'rejected',
      status: response.status,
      message,
      ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
}

function subjectQuery(subject: ConsentSubject): string {
  const query = new URLSearchParams();
  for (const key of ['email', 'phone', 'customerId'] as const) if (subject[key]) query.set(key, subject[key]);
  return query.toString();
}
