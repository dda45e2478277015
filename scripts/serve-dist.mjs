// Serves the built browser files under /dist/, as a CDN serves the package:
// the script-tag bundles load their chunks from beside them, so a page
// needs the folder, not one file.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json' };

/**
 * Answers a request for /dist/…, or returns false for any other path. Only
 * plain relative names inside dist/ are served.
 */
export async function serveDist(request, response) {
  const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  if (!path.startsWith('/dist/')) return false;
  const name = path.slice('/dist/'.length);
  if (name.split('/').some((part) => part === '' || part === '..' || part.startsWith('.'))) {
    response.writeHead(404).end();
    return true;
  }
  try {
    const body = await readFile(new URL(name, dist));
    response.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
  return true;
}
