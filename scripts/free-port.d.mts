/** A loopback port no other process holds right now. */
export declare function freePort(): Promise<number>;
