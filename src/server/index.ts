/**
 * `marketing-consent/server`: the consent ledger. Never imports Lit or DOM
 * code; the browser bundle never imports this.
 */
export {
  createLedgerApp,
  receiptOf,
  INTAKE_PATH,
  STAFF_ENTRIES_PATH,
  type LedgerApp,
  type LedgerOptions,
  type ConfirmationMode,
} from './app/ledger-app.js';
export type { ConfirmationMailSettings } from './double-opt-in/confirmation-sender.js';
export type { SmsSettings } from './sms/sms-channel.js';
export type { LedgerStore, LedgerEntry, ChainEntry, AppendOutcome, Identify } from './store/ledger-store.js';
export { identifiersOf } from './app/ledger-context.js';
export {
  JsonlLedgerStore,
  LEDGER_FILE_NAME,
  CHECKPOINT_LOG_NAME,
  RECORD_KEYS_FILE_NAME,
  LOCK_FILE_NAME,
  parseLedger,
  type JsonlStoreOptions,
} from './store/file/jsonl-ledger-store.js';
export { PERSONAL_FIELDS, publicPart } from './store/personal-data.js';
export {
  PostgresLedgerStore,
  readPostgresChain,
  openPostgresPool,
  migratePostgres,
  type PostgresStoreOptions,
} from './store/postgres/postgres-ledger-store.js';
export {
  createPlatformApp,
  salonLedgerOptions,
  sharedLedgerOptions,
  salonPath,
  type PlatformApp,
  type PlatformOptions,
  type SalonLedger,
  type SharedLedgerOptions,
} from './salons/platform-app.js';
export {
  FileSalonRegistry,
  PostgresSalonRegistry,
  UnknownSalonError,
  hashStaffToken,
  newSecret,
  salonIdProblem,
  SALON_ID,
  type SalonRegistry,
  type SalonSettings,
} from './salons/salon-registry.js';
export {
  planCustomerErasure,
  planRetention,
  applyRetention,
  erasureRecords,
  type ErasurePlan,
  type RetentionPolicy,
} from './consent/erasure.js';
export { GENESIS_HASH, entryHash, findChainBreak } from './integrity/hash-chain.js';
export {
  newWebhookSecret,
  checkWebhookUrl,
  WEBHOOK_EVENT_TYPE_PREFIX,
  type WebhookEndpoint,
  type WebhookSettings,
  type WebhookEndpointStatus,
} from './integrations/webhooks.js';
export { SUPPRESSIONS_PATH, type IntegrationCredentials } from './routes/integrations.js';
export { ConsentView, type SubjectQuery, type AddressDecision } from './consent/consent-status.js';
export { AddressBook, normalizeEmail, normalizePhone, type CountryCode } from './consent/addresses.js';
export {
  CheckpointSigner,
  generateCheckpointKey,
  openCheckpoint,
  verifierKey,
  renameVerifierKey,
  type Checkpoint,
} from './integrity/checkpoint.js';
export { verifyLedger, type LedgerReport, type CheckpointSource } from './integrity/verify-ledger.js';
export { CheckpointWitnesses } from './integrity/witness.js';
export { clientAddress, type TrustProxy } from './app/client-address.js';
export { csvField } from './app/csv.js';
export { TextRegistry, type PublishedText } from './consent/text-registry.js';
export { publishedTextsFromHtml, mergePublishedTexts } from './consent/published-texts.js';
export {
  createUnsubscribeUrl,
  signUnsubscribe,
  verifyUnsubscribe,
  type UnsubscribeTarget,
} from './links/unsubscribe-link.js';
export {
  buildProof,
  kantaraReceipt,
  renderProofPage,
  type Controller,
  type Proof,
  type KantaraReceipt,
} from './proof/proof.js';
export { rateLimit, memoryBuckets, type RateLimitOptions, type RateBuckets } from './app/rate-limit.js';
export { startLedgerServer, type RunningLedger } from './app/node-server.js';
export { buildOpenApi } from './app/openapi.js';
