// A realistic, deterministic demo data set: two years of daily facts for a Swedish web shop with
// a subscription club. It tells a story: weekly seasonality, a Black Friday peak, a Meta
// retargeting campaign whose ROAS decays below the floor over the last ten weeks, and a month
// where churn spikes. Pure: the caller writes the facts.
import { addDays } from '../kpi/periods.ts';
import type { FactInput, IsoDate } from '../kpi/types.ts';

/** Onboarding and sales effort per customer won: puts the demo's LTV/CAC near a healthy 4:1. */
const SALES_COST_PER_NEW_CUSTOMER = 1150;

/** mulberry32: small, fast, seeded; the same seed gives the same data set everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PaidCampaign {
  channel: string;
  campaign: string;
  spend: number; // kr a day
  cpc: number;
  ctr: number;
  cr: number; // conversions per session
  aov: number;
  /** Relative ROAS over the data set: 1 = steady; a function of days before the end. */
  decay?: (daysBeforeEnd: number) => number;
}

const PAID: PaidCampaign[] = [
  {
    channel: 'google-ads',
    campaign: 'brand',
    spend: 900,
    cpc: 3.1,
    ctr: 0.082,
    cr: 0.052,
    aov: 690,
  },
  {
    channel: 'google-ads',
    campaign: 'generic',
    spend: 2400,
    cpc: 7.4,
    ctr: 0.031,
    cr: 0.024,
    aov: 640,
  },
  {
    channel: 'google-ads',
    campaign: 'shopping',
    spend: 1800,
    cpc: 4.2,
    ctr: 0.012,
    cr: 0.028,
    aov: 610,
  },
  {
    channel: 'meta',
    campaign: 'prospecting',
    spend: 2100,
    cpc: 5.6,
    ctr: 0.011,
    cr: 0.017,
    aov: 580,
  },
  {
    channel: 'meta',
    campaign: 'retarget',
    spend: 1200,
    cpc: 4.1,
    ctr: 0.019,
    cr: 0.047,
    aov: 620,
    // Steady for most of the data set, then creative fatigue: over the last 70 days the
    // campaign's revenue falls to a quarter, taking its ROAS from about 6× to about 1.5×.
    decay: (d) => (d >= 70 ? 1 : 0.25 + 0.75 * (d / 70)),
  },
];

const WEEKDAY = [0.82, 1.08, 1.06, 1.03, 1.0, 0.97, 0.79]; // Sunday … Saturday

function weekdayOf(day: IsoDate): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

/** Black Friday / Christmas peak and a summer dip. */
function yearly(day: IsoDate): number {
  const month = Number(day.slice(5, 7));
  const dom = Number(day.slice(8, 10));
  if (month === 11 && dom >= 20) return 1.55;
  if (month === 12 && dom <= 20) return 1.35;
  if (month === 7) return 0.8;
  return 1;
}

const money = (v: number) => Math.round(v * 100) / 100;
const count = (v: number) => Math.max(0, Math.round(v));

export interface DemoOptions {
  /** Last day of data (inclusive), usually yesterday in the configured timezone. */
  end: IsoDate;
  days?: number;
  seed?: number;
}

export interface DemoStory {
  churnSpikeMonth: string;
  decayingCampaign: string;
}

export function demoStory(end: IsoDate): DemoStory {
  // The churn spike is the calendar month four months before the end's month.
  const [y, m] = end.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - 4;
  const month = `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
  return { churnSpikeMonth: month, decayingCampaign: 'meta/retarget' };
}

export function generateDemoFacts(opts: DemoOptions): FactInput[] {
  const days = opts.days ?? 730;
  const rand = seededRandom(opts.seed ?? 20261122);
  const noise = (spread: number) => 1 + (rand() * 2 - 1) * spread;
  const story = demoStory(opts.end);
  const facts: FactInput[] = [];
  const put = (day: IsoDate, channel: string, campaign: string, measure: string, value: number) => {
    facts.push({ day, measure, value, channel, campaign });
  };

  let activeCustomers = 4200;
  let followers = 18_500;
  for (let i = days - 1; i >= 0; i--) {
    const day = addDays(opts.end, -i);
    const season = WEEKDAY[weekdayOf(day)]! * yearly(day);
    const growth = 1 + 0.25 * ((days - i) / days); // a quarter more demand over the two years
    let newCustomersToday = 0;
    let buyersToday = 0;

    for (const c of PAID) {
      const spend = money(c.spend * season * growth * noise(0.12));
      const clicks = count((spend / c.cpc) * noise(0.08));
      const impressions = count((clicks / c.ctr) * noise(0.05));
      const sessions = count(clicks * 0.92);
      const conversions = count(sessions * c.cr * noise(0.15));
      const revenue = money(conversions * c.aov * (c.decay?.(i) ?? 1) * noise(0.1));
      const newCustomers = count(conversions * 0.62);
      const leads = count(sessions * 0.045 * noise(0.2));
      newCustomersToday += newCustomers;
      buyersToday += conversions;
      const row = (measure: string, value: number) =>
        put(day, c.channel, c.campaign, measure, value);
      row('ad_spend', spend);
      row('marketing_cost', money(spend * 1.12));
      row('sales_cost', money(newCustomers * SALES_COST_PER_NEW_CUSTOMER));
      row('clicks', clicks);
      row('impressions', impressions);
      row('sessions', sessions);
      row('new_visitors', count(sessions * 0.71));
      row('page_views', count(sessions * 2.6));
      row('conversions', conversions);
      row('orders', conversions);
      row('revenue', revenue);
      row('gross_profit', money(revenue * 0.41));
      row('new_customers', newCustomers);
      row('leads', leads);
      row('qualified_leads', count(leads * 0.38));
      row(
        'days_to_conversion_total',
        count(conversions * (c.campaign === 'brand' ? 2.4 : 6.8) * noise(0.2)),
      );
      if (c.channel === 'meta') {
        row('reach', count(impressions / 2.7));
        row('interactions', count(impressions * 0.013 * noise(0.2)));
      }
    }

    // Organic search: slowly improving rank, rising traffic.
    const organicSessions = count(1650 * season * (1 + 0.4 * ((days - i) / days)) * noise(0.07));
    const organicConversions = count(organicSessions * 0.027 * noise(0.12));
    const organicNew = count(organicConversions * 0.55);
    newCustomersToday += organicNew;
    buyersToday += organicConversions;
    const organic = (measure: string, value: number) => put(day, 'organic', '', measure, value);
    organic('sessions', organicSessions);
    organic('new_visitors', count(organicSessions * 0.64));
    organic('page_views', count(organicSessions * 3.4));
    organic('conversions', organicConversions);
    organic('orders', organicConversions);
    organic('revenue', money(organicConversions * 655 * noise(0.08)));
    organic('gross_profit', money(organicConversions * 655 * 0.41));
    organic('new_customers', organicNew);
    organic('leads', count(organicSessions * 0.03));
    organic('qualified_leads', count(organicSessions * 0.012));
    organic('marketing_cost', money(450 * noise(0.05))); // SEO agency retainer, per day
    organic('sales_cost', money(organicNew * SALES_COST_PER_NEW_CUSTOMER));
    organic('days_to_conversion_total', count(organicConversions * 9.5 * noise(0.2)));
    organic(
      'avg_position',
      Math.round((7.8 - 3.1 * ((days - i) / days)) * noise(0.04) * 100) / 100,
    );

    // Email newsletter and direct traffic.
    for (const [channel, campaign, base, cr, cost] of [
      ['email', 'newsletter', 380, 0.041, 120],
      ['direct', '', 720, 0.035, 0],
    ] as const) {
      const sessions = count(base * season * growth * noise(0.1));
      const conversions = count(sessions * cr * noise(0.12));
      const revenue = money(conversions * 700 * noise(0.08));
      const newCustomers = count(conversions * 0.2);
      newCustomersToday += newCustomers;
      buyersToday += conversions;
      const row = (measure: string, value: number) => put(day, channel, campaign, measure, value);
      row('sessions', sessions);
      row('new_visitors', count(sessions * (channel === 'email' ? 0.05 : 0.3)));
      row('page_views', count(sessions * 3.1));
      row('conversions', conversions);
      row('orders', conversions);
      row('revenue', revenue);
      row('gross_profit', money(revenue * 0.41));
      row('new_customers', newCustomers);
      if (cost > 0) {
        row('marketing_cost', money(cost));
        row('sales_cost', money(newCustomers * SALES_COST_PER_NEW_CUSTOMER));
      }
      row('days_to_conversion_total', count(conversions * 4.2 * noise(0.2)));
    }

    // Customer base (the subscription club): snapshots at the start of each day, churn, repeats.
    const spike = day.startsWith(story.churnSpikeMonth);
    const monthlyChurn = spike ? 0.094 : 0.031 * noise(0.15);
    const churned = count(activeCustomers * (monthlyChurn / 30) * noise(0.3));
    const business = (measure: string, value: number) => put(day, '', '', measure, value);
    business('active_customers', activeCustomers);
    business('active_users', count(activeCustomers * 1.35));
    business('churned_customers', churned);
    business('purchasing_customers', buyersToday);
    business('repeat_customers', count(buyersToday * 0.34 * noise(0.1)));
    put(day, 'meta', '', 'followers', followers);
    activeCustomers += Math.round(newCustomersToday * 0.35) - churned;
    followers += count(14 * noise(0.5));
  }
  return facts;
}
