// Subscription text, the cron it fires on, and the period a firing covers (in the subscription's
// timezone, across year boundaries and ISO week 53).
import { describe, expect, it } from 'vitest';
import {
  describeSubscription,
  parseSubscriptionText,
  periodForFiring,
  type SubscriptionDraft,
  subscriptionCron,
  summaryPostKey,
} from '../../src/reports/subscription.ts';

describe('parseSubscriptionText', () => {
  it.each<[string, SubscriptionDraft]>([
    // the defaults: Monday 08:00, the channel it was typed in, the configured timezone
    ['weekly', { kind: 'weekly', weekday: 1, hour: 8, minute: 0 }],
    ['monthly', { kind: 'monthly', dayOfMonth: 1, hour: 8, minute: 0 }],
    [
      'weekly #marketing monday 08:00',
      { kind: 'weekly', channel: '#marketing', weekday: 1, hour: 8, minute: 0 },
    ],
    // Slack's escaped channel mention, another day and time, an own timezone
    [
      'weekly <#C0123ABC|marketing> friday 16:30 Europe/Oslo',
      {
        kind: 'weekly',
        channel: 'C0123ABC',
        weekday: 5,
        hour: 16,
        minute: 30,
        timeZone: 'Europe/Oslo',
      },
    ],
    [
      'weekly &lt;#C0123ABC&gt; on sunday at 7:05 UTC',
      { kind: 'weekly', channel: 'C0123ABC', weekday: 0, hour: 7, minute: 5, timeZone: 'UTC' },
    ],
    [
      'monthly #ledning 2nd 09:00',
      { kind: 'monthly', channel: '#ledning', dayOfMonth: 2, hour: 9, minute: 0 },
    ],
    ['monthly 15', { kind: 'monthly', dayOfMonth: 15, hour: 8, minute: 0 }],
    // Swedish
    ['veckovis måndag kl 7.45', { kind: 'weekly', weekday: 1, hour: 7, minute: 45 }],
  ])('%s', (text, draft) => {
    expect(parseSubscriptionText(text)).toEqual({ ok: true, draft });
  });

  it.each<[string, RegExp]>([
    ['', /Weekly or monthly/],
    ['daily', /`daily` is not a summary kind/],
    // a weekday for a monthly summary, a date for a weekly one
    ['monthly monday', /day of the month/],
    ['weekly 3rd', /on a weekday/],
    // not every month has a 29th
    ['monthly 29th', /1 to 28/],
    ['weekly 25:00', /did not understand `25:00`/],
    ['weekly Mars/Olympus', /not a timezone I know/],
    ['weekly #a #b', /one channel/],
    ['weekly 08:00 09:00', /one time of day/],
  ])('refuses %j', (text, error) => {
    const result = parseSubscriptionText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

describe('subscriptionCron', () => {
  it('fires weekly on the weekday and monthly on the day', () => {
    expect(subscriptionCron({ kind: 'weekly', weekday: 1, hour: 8, minute: 0 })).toBe('0 8 * * 1');
    expect(subscriptionCron({ kind: 'monthly', dayOfMonth: 1, hour: 9, minute: 30 })).toBe(
      '30 9 1 * *',
    );
  });
});

describe('periodForFiring', () => {
  it.each<[string, 'weekly' | 'monthly', string, string, string]>([
    // Monday 23 November 2026 08:00 in Stockholm: last ISO week is week 47
    ['Monday morning', 'weekly', '2026-11-23T07:00:00Z', 'Europe/Stockholm', '2026-W47'],
    // 00:30 on Monday in Stockholm is still Sunday in UTC: the zone decides
    ['just after midnight', 'weekly', '2026-11-22T23:30:00Z', 'Europe/Stockholm', '2026-W47'],
    ['the same instant in UTC', 'weekly', '2026-11-22T23:30:00Z', 'UTC', '2026-W46'],
    // a Wednesday subscription still covers the previous Monday–Sunday week
    ['a Wednesday', 'weekly', '2026-11-25T07:00:00Z', 'Europe/Stockholm', '2026-W47'],
    // 2026 has an ISO week 53 (28 December – 3 January)
    ['into a new year', 'weekly', '2027-01-04T07:00:00Z', 'Europe/Stockholm', '2026-W53'],
    ['the 1st of December', 'monthly', '2026-12-01T07:00:00Z', 'Europe/Stockholm', '2026-11'],
    ['New Year', 'monthly', '2027-01-01T07:00:00Z', 'Europe/Stockholm', '2026-12'],
    // a late firing caught up on the 3rd covers the same month as the one on the 1st
    ['caught up on the 3rd', 'monthly', '2026-12-03T15:00:00Z', 'Europe/Stockholm', '2026-11'],
  ])('%s', (_, kind, at, zone, phrase) => {
    expect(periodForFiring(kind, new Date(at), zone)).toBe(phrase);
  });

  it('keys a post by subscription and period', () => {
    expect(summaryPostKey('s3', '2026-W47')).toBe('summary:s3:2026-W47');
  });
});

describe('describeSubscription', () => {
  it('says when, in which zone, and what it covers', () => {
    expect(
      describeSubscription({ kind: 'weekly', weekday: 1, hour: 8, minute: 0 }, 'Europe/Stockholm'),
    ).toBe(
      'weekly, Mondays at 08:00 (Europe/Stockholm), covering the previous week (Monday–Sunday)',
    );
    expect(
      describeSubscription(
        { kind: 'monthly', dayOfMonth: 22, hour: 7, minute: 5, timeZone: 'UTC' },
        'Europe/Stockholm',
      ),
    ).toBe('monthly, on the 22nd at 07:05 (UTC), covering the previous month');
  });
});
