// Lists in kpibot.config.yml whose entries carry ids (alerts, goals): each id once.
import { z } from 'zod';

/** A list schema of `item`, empty by default, that names both entries sharing an id. */
export function uniqueIdList<T extends z.ZodType<{ id: string }>>(item: T, noun: string) {
  return z
    .array(item)
    .superRefine((entries, ctx) => {
      const seen = new Map<string, number>();
      for (const [index, entry] of entries.entries()) {
        const first = seen.get(entry.id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `${noun} ${first} and ${index} both have the id "${entry.id}": give one of them its own id`,
          });
        }
        seen.set(entry.id, index);
      }
    })
    .default([]);
}
