// English words kpibot writes, for the tests that a Swedish message has none of them (a string
// left untranslated fails them). Words that are also Swedish (data, period, per, status…) and
// the product's loanwords (churn, lead) are not in the list.

export const ENGLISH = new Set(
  `a above acknowledge acknowledged after alert all and any are at back before below best better
  blended business by campaign campaigns can cannot can't cap channel channels checked compared
  compounded configured context daily data-is days drivers ended ends expected fired firing first
  floor for from goal goals group groups has have history in into is it last learned look meets
  missing month monthly more new no none not note now of once over past periods previous progress
  reached reminders resolved rule rules set short since snooze so still stopped summary the this
  threshold through to told too unchanged until usually value vs was week weekly weeks when will
  window with within worse worst year yet yesterday today arriving again october january
  post shared read
  added removed paused resumed posts nowhere breaching checks every while pending weekdays
  hourly minutes only which where should nothing there changed defined file exists already
  watch know use give updated goes track paced pace summaries told remove where stands
  total ratio compares target judged totals subscription subscriptions summaries covering
  stop up down bot marked late on button works gone acknowledged snoozed hour day sorry did
  write work something went wrong our side could answer please try moment reference ask share
  or`.split(/\s+/),
);

/**
 * The words of `text`, lower case, with Slack dates, mentions and code spans removed (commands
 * and identifiers are not words of a language), and the given data tokens (channel and campaign
 * keys, measure ids) left out.
 */
export function wordsOf(text: string, data: readonly string[] = []): string[] {
  let t = text
    .replace(/<!date\^[^>]*>/g, ' ')
    .replace(/<@[A-Z0-9]+>/g, ' ')
    .replace(/`[^`]*`/g, ' ');
  for (const token of [...data].sort((a, b) => b.length - a.length)) t = t.replaceAll(token, ' ');
  return t
    .toLowerCase()
    .split(/[^a-zåäö']+/)
    .filter(Boolean);
}

/** The English words in `text` (see wordsOf). */
export function englishIn(text: string, data: readonly string[] = []): string[] {
  return wordsOf(text, data).filter((w) => ENGLISH.has(w));
}

/** Every string a Block Kit message shows: its text and every `text` in its blocks. */
export function messageText(m: { text: string; blocks: readonly unknown[] }): string {
  const out: string[] = [m.text];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) if (k === 'text' || typeof v === 'object') walk(v);
    }
  };
  walk(m.blocks);
  return out.join('\n');
}
