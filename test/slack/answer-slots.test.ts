import { describe, expect, it } from 'vitest';
import { answerSlots, FULL } from '../../src/slack/answer-slots.ts';

describe('answerSlots', () => {
  it('runs at most `slots` at once, the rest in order of arrival, and passes results and errors through', async () => {
    const inSlot = answerSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
    const results = gates.map((gate, i) =>
      inSlot(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await gate.promise;
        running--;
        if (i === 1) throw new Error('one failed');
        return i;
      }),
    );
    const settled = Promise.allSettled(results);
    // Finish them out of order: each finished one lets the next waiting one in.
    for (const i of [1, 0, 4, 2, 3]) {
      gates[i]?.resolve();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect((await settled).map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([
      0,
      'failed',
      2,
      3,
      4,
    ]);
  });

  it('refuses at once past `maxWaiting`, and takes work again once the line is shorter', async () => {
    const inSlot = answerSlots(1, 2);
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const ran: string[] = [];
    const job = (name: string) =>
      inSlot(async () => {
        ran.push(name);
        await gate;
        return name;
      });
    const running = job('a'); // in the slot
    const waiting = [job('b'), job('c')]; // the line is full
    expect(await job('d')).toBe(FULL); // refused without waiting, never run
    open();
    expect(await Promise.all([running, ...waiting])).toEqual(['a', 'b', 'c']);
    expect(await job('e')).toBe('e');
    expect(ran).toEqual(['a', 'b', 'c', 'e']);
  });
});
