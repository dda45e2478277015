import type * as z from 'zod/mini';

/** A zod issue flattened to a dotted path and a message, for error bodies and console errors. */
export function describeIssues(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
