export declare function startEmbeddedPostgres(options: {
  dir: string;
  persistent?: boolean;
  password?: string;
}): Promise<{ url: string; stop: () => Promise<void> }>;
