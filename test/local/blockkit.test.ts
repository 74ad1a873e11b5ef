// The page's renderer (src/local/page/blockkit.js), run in node: mrkdwn, Block Kit, and above all
// that no text from a message can ever become markup.
import { describe, expect, it } from 'vitest';
import { renderForSlack } from '../../src/commands/views/slack.ts';
import {
  escapeHtml,
  formatSlackDate,
  renderBlocks,
  renderMessageBody,
  renderMrkdwn,
} from '../../src/local/page/blockkit.js';

const ctx = {
  userName: (id: string) => ({ U0ADA: 'Ada' })[id],
  channelName: (id: string) => ({ C0ALERTS: 'alerts' })[id],
  locale: 'en-US',
  timeZone: 'Europe/Stockholm',
  now: Date.parse('2026-11-18T12:00:00Z'),
};

/** Every tag in `html`: the renderer may only ever produce these. */
const ALLOWED_TAGS = new Set([
  'a',
  'b',
  'blockquote',
  'button',
  'code',
  'div',
  'figcaption',
  'figure',
  'hr',
  'i',
  'img',
  'pre',
  's',
  'span',
  'time',
]);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Attributes of every tag, as `name=value` (values unescaped as a browser would read them). */
function attributesOf(html: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const attr of tag[0].matchAll(/\s([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      out.push({ name: attr[1]!.toLowerCase(), value: attr[2] ?? '' });
    }
  }
  return out;
}

function expectSafe(html: string): void {
  for (const tag of tagsOf(html)) expect(ALLOWED_TAGS, `unexpected <${tag}>`).toContain(tag);
  for (const { name, value } of attributesOf(html)) {
    expect(name, `event handler attribute in ${html}`).not.toMatch(/^on/);
    if (name === 'href' || name === 'src' || name === 'data-url')
      expect(value).toMatch(/^(https?:\/\/|mailto:)/i);
  }
}

describe('mrkdwn', () => {
  it.each([
    // [case, input, expected HTML]
    ['bold', '*ROAS* is up', '<b>ROAS</b> is up'],
    ['italic', 'it is _early_', 'it is <i>early</i>'],
    ['strike', '~old~ new', '<s>old</s> new'],
    ['inline code', 'try `/kpi help`', 'try <code>/kpi help</code>'],
    ['code keeps its content literal', '`*not bold*`', '<code>*not bold*</code>'],
    ['snake_case is not italic', 'ad_spend and new_customers', 'ad_spend and new_customers'],
    ['multiplication is not bold', '2*3*4', '2*3*4'],
    ['a lone star stays', 'rated * by', 'rated * by'],
    [
      'bold around a link',
      '*<https://x.se|x>*',
      '<b><a href="https://x.se" target="_blank" rel="noopener noreferrer">x</a></b>',
    ],
    [
      'Slack entities shown as characters',
      'a &lt; b &amp;&amp; c &gt; d',
      'a &lt; b &amp;&amp; c &gt; d',
    ],
    ['quotes', '&gt; quoted\n&gt; more\nafter', '<blockquote>quoted\nmore</blockquote>after'],
    ['newlines stay', 'one\ntwo', 'one\ntwo'],
  ])('%s', (_, input, expected) => {
    expect(renderMrkdwn(input, ctx)).toBe(expected);
  });

  it('turns the emoji shortcodes the app uses into emoji, and leaves unknown ones as text', () => {
    const html = renderMrkdwn(
      ':large_green_circle: :red_circle: :white_check_mark: :warning: :dart: :grey_question: :bar_chart: :no_such_emoji: 10:00:05',
    );
    for (const emoji of ['🟢', '🔴', '✅', '⚠️', '🎯', '❔', '📊']) expect(html).toContain(emoji);
    expect(html).toContain(':no_such_emoji:');
    expect(html).toContain('10:00:05');
  });

  it('keeps a code block verbatim (no formatting, no emoji, entities shown)', () => {
    const html = renderMrkdwn('```\nmeta    *4.0×* :dart:\ngoogle  &lt;2.5×&gt;\n```\nafter');
    expect(html).toBe(
      '<pre class="code-block">meta    *4.0×* :dart:\ngoogle  &lt;2.5×&gt;</pre>after',
    );
  });

  it('draws links, mentions, channels and special mentions', () => {
    const html = renderMrkdwn(
      '<https://example.com/a?b=1&amp;c=2|the report> <@U0ADA> <@U0BEA> <#C0ALERTS> <!here>',
      ctx,
    );
    expect(html).toContain(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the report</a>',
    );
    expect(html).toContain('@Ada</span>');
    expect(html).toContain('@U0BEA</span>');
    expect(html).toContain('#alerts</span>');
    expect(html).toContain('@here</span>');
  });

  it('shows a Slack date in the reader’s timezone, with "today"', () => {
    // 2026-11-18 08:00 UTC = 09:00 in Stockholm, the same day as ctx.now
    const html = renderMrkdwn(
      'fired <!date^1794988800^{date_short_pretty} {time}|2026-11-18 08:00 UTC>',
      ctx,
    );
    expect(html).toBe('fired <time>today 9:00 AM</time>');
    expect(formatSlackDate('1794988800', '{date_num}', 'x', ctx)).toBe('2026-11-18');
    expect(formatSlackDate('not-a-number', '{date_num}', 'the fallback', ctx)).toBe('the fallback');
  });

  it.each([
    ['a script tag, escaped by the app', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a raw tag where Slack expects a link', '<img src=x onerror=alert(1)>'],
    ['a javascript: link', '<javascript:alert(1)|click me>'],
    ['a data: link', '<data:text/html,<b>x</b>|x>'],
    ['quotes breaking out of an attribute', '<https://x.se/"onmouseover="alert(1)|x>'],
    ['a mention with markup in its label', '<@U1|<img src=x onerror=alert(1)>>'],
    ['markup inside code', '`<img src=x onerror=alert(1)>` ```<script>alert(1)</script>```'],
    ['markup inside formatting', '*<b onclick=alert(1)>x</b>* _"x"_'],
    ['an emoji-looking attribute', ':warning" onerror="alert(1):'],
    ['private-use characters the renderer uses inside', '\uE0000\uE001 `x` \uE000'],
  ])('never lets message text become markup: %s', (_, input) => {
    const html = renderMrkdwn(input, ctx);
    expectSafe(html);
    expect(html).not.toMatch(/<script|<img/i);
  });

  it('escapes everything HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('Block Kit', () => {
  it('draws header, section with fields, context, divider, actions and image', () => {
    const html = renderBlocks(
      [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'ROAS — week 46 :dart:', emoji: true },
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*10,4×*' },
          fields: [
            { type: 'mrkdwn', text: '*Spend*\n71 719 kr' },
            { type: 'plain_text', text: '*not bold*' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Tier: _business_' }] },
        { type: 'divider' },
        {
          type: 'actions',
          block_id: 'kpi_share',
          elements: [
            {
              type: 'button',
              action_id: 'post_to_channel',
              text: { type: 'plain_text', text: 'Post to channel' },
              value: '{"q":"roas"}',
            },
            {
              type: 'button',
              action_id: 'x',
              style: 'danger',
              text: { type: 'plain_text', text: 'Delete' },
            },
          ],
        },
        { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'a chart' },
      ],
      ctx,
    );
    expect(html).toContain(
      '<div class="bk-header">ROAS — week 46 <span class="emoji" title=":dart:">🎯</span></div>',
    );
    expect(html).toContain('<div class="bk-text"><b>10,4×</b></div>');
    expect(html).toContain('<div class="bk-field"><b>Spend</b>\n71 719 kr</div>');
    expect(html).toContain('<div class="bk-field">*not bold*</div>');
    expect(html).toContain('Tier: <i>business</i>');
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toContain(
      '<button type="button" class="bk-button" data-block="4" data-element="0">Post to channel</button>',
    );
    expect(html).toContain('class="bk-button bk-button-danger"');
    expect(html).toContain(
      '<img class="bk-image-img" src="https://example.com/chart.png" alt="a chart"',
    );
    expectSafe(html);
  });

  it('shows an unknown or broken block as a labelled placeholder and goes on', () => {
    const html = renderBlocks(
      [
        { type: 'video', title: { type: 'plain_text', text: 'x' } },
        null,
        'text',
        { type: 'section', text: { type: 'mrkdwn', text: 'still here' } },
        { type: '<script>', text: 1 },
        { type: 'actions', elements: [{ type: 'static_select' }, 7] },
      ],
      ctx,
    );
    expect(html).toContain('Block <code>video</code> is not shown in the local workspace');
    expect(html).toContain('Block <code>null</code>');
    expect(html).toContain('Block <code>string</code>');
    expect(html).toContain('still here');
    expect(html).toContain('Block <code>&lt;script&gt;</code>');
    expect(html).toContain('<code>static_select</code> not available locally');
    expectSafe(html);
  });

  it('never lets block fields become markup', () => {
    const evil = '"><img src=x onerror=alert(1)><"';
    const html = renderMessageBody(
      {
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: evil } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: evil },
            accessory: { type: 'image', image_url: `javascript:alert(1)`, alt_text: evil },
          },
          {
            type: 'context',
            elements: [
              { type: 'image', image_url: 'https://x.se/i.png', alt_text: evil },
              { type: 'plain_text', text: evil },
            ],
          },
          {
            type: 'actions',
            block_id: evil,
            elements: [
              {
                type: 'button',
                action_id: evil,
                value: evil,
                url: 'javascript:alert(1)',
                style: evil,
                text: { type: 'plain_text', text: evil },
              },
            ],
          },
          {
            type: 'image',
            image_url: `https://x.se/${evil}`,
            alt_text: evil,
            title: { type: 'plain_text', text: evil },
          },
        ],
        attachments: [{ color: `red;background:url(${evil})`, text: evil, blocks: [] }],
      },
      ctx,
    );
    expectSafe(html);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('data-color="#dddddd"');
  });

  it('draws a message without blocks from its text, and attachments with their colour', () => {
    expect(renderMessageBody({ text: 'plain *text*' }, ctx)).toBe(
      '<div class="bk-text">plain <b>text</b></div>',
    );
    const html = renderMessageBody(
      { text: 'x', attachments: [{ color: 'danger', text: 'ROAS _low_' }] },
      ctx,
    );
    expect(html).toContain('<div class="bk-attachment" data-color="#e01e5a">');
    expect(html).toContain('ROAS <i>low</i>');
  });

  it('draws the app’s own replies (help) without placeholders', () => {
    const help = renderForSlack(
      {
        kind: 'help',
        defaultPeriod: 'last-7-days',
        examples: ['roas last-week', 'ctr by channel'],
      },
      { locale: 'en-US', withShareButton: false },
    );
    const html = renderMessageBody(help, ctx);
    expect(html).not.toContain('bk-unknown');
    expect(html).toContain('<div class="bk-header">kpibot — KPIs in Slack</div>');
    expect(html).toContain('<code>/kpi roas last-week</code>');
    expectSafe(html);
  });
});
