/**
 * When the customer made the decision an entry holds: an imported one when
 * the other software says they made it, every other one when it reached
 * the ledger. Status, proof, receipts, the customer file and the import's
 * own ordering all date decisions by this. (No zod here: the customer
 * file reads it in the browser.)
 */
export function decidedAt(entry: {
  receivedAt: string;
  event: { method: string; import?: { occurredAt: string } };
}): string {
  return entry.event.method === 'import' && entry.event.import ? entry.event.import.occurredAt : entry.receivedAt;
}
