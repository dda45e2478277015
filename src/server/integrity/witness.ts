/**
 * Hands signed checkpoints to witnesses: directories the ledger's operator
 * cannot rewrite (a share on another host, a folder synced to the salon
 * owner's cloud drive). Each checkpoint is a new file, never overwritten, at
 * most one per interval; the latest one held by a witness is what `verify
 * --checkpoints` compares the ledger with, so a later deletion or rewrite of
 * anything it covers is found.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointSize } from './checkpoint.js';

export class CheckpointWitnesses {
  readonly #directories: readonly string[];
  readonly #intervalMs: number;
  #latest: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastHanded = 0;

  constructor(directories: readonly string[], intervalMs = 60_000) {
    this.#directories = directories;
    this.#intervalMs = intervalMs;
  }

  /** Takes the ledger's newest checkpoint; it reaches the witnesses within the interval. */
  offer = (note: string): void => {
    if (this.#directories.length === 0) return;
    this.#latest = note;
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastHanded + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => void this.flush(), wait);
    this.#timer.unref?.();
  };

  /** Writes the newest checkpoint to every witness now (also at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const note = this.#latest;
    this.#latest = undefined;
    if (!note) return;
    this.#lastHanded = Date.now();
    const size = checkpointSize(note);
    await Promise.all(
      this.#directories.map((directory) =>
        // 'wx': a witness never has a checkpoint replaced, only new ones added.
        writeFile(join(directory, `checkpoint-${String(size).padStart(12, '0')}.txt`), note, { flag: 'wx' }).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code !== 'EEXIST')
              console.error(`ledger: could not hand a checkpoint to ${directory}: ${error.message}`);
          },
        ),
      ),
    );
  }
}
