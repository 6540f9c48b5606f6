// Slack's mrkdwn as HTML, the way Slack's client shows it: *bold*, _italics_, ~strike~,
// `code`, ```blocks```, > quotes, links, user and channel mentions, <!date^…> in the
// reader's timezone, :emoji:. Text arrives escaped by Mo (&amp; &lt; &gt;): those entities
// stay entities; anything else that could be HTML is escaped here.

export interface MrkdwnContext {
  userName(id: string): string;
  channelName(id: string): string;
  /** "Now" for today/yesterday in dates: Mo's clock, which the playground can move. */
  now: Date;
  timeZone: string;
}

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  warning: '⚠️',
  no_entry: '⛔',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  red_circle: '🔴',
  white_circle: '⚪',
  hourglass_flowing_sand: '⏳',
  rotating_light: '🚨',
  newspaper: '📰',
  zzz: '💤',
  wave: '👋',
  memo: '📝',
  memory: '💾',
  key: '🔑',
  dart: '🎯',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  calendar: '📅',
  bar_chart: '📊',
  x: '❌',
  tada: '🎉',
  moneybag: '💰',
  email: '📧',
  arrow_right: '➡️',
  point_right: '👉',
  information_source: 'ℹ️',
  thumbsup: '👍',
  '+1': '👍',
};

/** Escapes HTML but keeps the three entities Slack text carries. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&(?!(amp|lt|gt|quot|#39);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Text without markup (plain_text objects): escaped, entities decoded first so they show as Slack shows them. */
export function plainToHtml(text: string, emoji = true): string {
  const decoded = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const html = escapeHtml(decoded).replace(/\n/g, '<br>');
  return emoji ? emojify(html) : html;
}

function emojify(html: string): string {
  return html.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => {
    const e = EMOJI[name];
    return e ? `<span class="emoji" title=":${name}:">${e}</span>` : all;
  });
}

const ordinal = (n: number) => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

function parts(d: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    hour12: true,
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return {
    year: p.year ?? '',
    month: p.month ?? '',
    day: Number(p.day),
    weekday: p.weekday ?? '',
    hour: p.hour ?? '',
    minute: p.minute ?? '',
    second: p.second ?? '',
    ampm: p.dayPeriod ?? '',
  };
}

const dayKey = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);

/** Formats `<!date^epoch^tokens|fallback>` as Slack does for the reader. */
export function formatSlackDate(epoch: number, tokens: string, ctx: MrkdwnContext): string {
  const d = new Date(epoch * 1000);
  const tz = ctx.timeZone;
  const p = parts(d, tz);
  const shortMonth = p.month.slice(0, 3);
  const relative = () => {
    const day = dayKey(d, tz);
    for (const [offset, word] of [
      [0, 'today'],
      [-1, 'yesterday'],
      [1, 'tomorrow'],
    ] as const) {
      if (dayKey(new Date(ctx.now.getTime() + offset * 86_400_000), tz) === day) return word;
    }
    return undefined;
  };
  const date = `${p.month} ${ordinal(p.day)}, ${p.year}`;
  const dateShort = `${shortMonth} ${p.day}, ${p.year}`;
  const dateLong = `${p.weekday}, ${date}`;
  const ago = () => {
    const s = Math.round((ctx.now.getTime() - d.getTime()) / 1000);
    const abs = Math.abs(s);
    const [n, unit] =
      abs < 60
        ? [abs, 'second']
        : abs < 3600
          ? [Math.round(abs / 60), 'minute']
          : abs < 86400
            ? [Math.round(abs / 3600), 'hour']
            : [Math.round(abs / 86400), 'day'];
    const label = `${n} ${unit}${n === 1 ? '' : 's'}`;
    return s >= 0 ? `${label} ago` : `in ${label}`;
  };
  const values: Record<string, () => string> = {
    date_num: () => dayKey(d, tz),
    date: () => date,
    date_short: () => dateShort,
    date_long: () => dateLong,
    date_pretty: () => relative() ?? date,
    date_short_pretty: () => relative() ?? dateShort,
    date_long_pretty: () => relative() ?? dateLong,
    time: () => `${p.hour}:${p.minute} ${p.ampm}`,
    time_secs: () => `${p.hour}:${p.minute}:${p.second} ${p.ampm}`,
    ago,
  };
  return tokens.replace(/\{([a-z_]+)\}/g, (all, name: string) => values[name]?.() ?? all);
}

/** A control sequence `<…>` as HTML, or undefined when it is not one. */
function controlSequence(inner: string, ctx: MrkdwnContext): string | undefined {
  const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(label ?? ctx.userName(id))}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention channel">#${escapeHtml(label ?? ctx.channelName(id))}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, epoch = '', tokens = ''] = target.split('^');
    const n = Number(epoch);
    if (!Number.isFinite(n)) return escapeHtml(label ?? inner);
    return `<time title="${escapeHtml(new Date(n * 1000).toISOString())}">${escapeHtml(formatSlackDate(n, tokens, ctx))}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label ?? 'group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  if (/^(https?:\/\/|mailto:)/.test(target)) {
    const href = target.replace(/&amp;/g, '&');
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(label ?? target)}</a>`;
  }
  return undefined;
}

function inline(text: string, ctx: MrkdwnContext): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  // Control sequences first (they may contain * or _), then inline code.
  let s = text.replace(/<([^<>\n]+)>/g, (all, inner: string) => {
    const html = controlSequence(inner, ctx);
    return html === undefined ? all : hold(html);
  });
  s = s.replace(/`([^`\n]+)`/g, (_a, code: string) => hold(`<code>${escapeHtml(code)}</code>`));
  s = escapeHtml(s);
  const edge = '(^|[\\s(\\[{"\'\\u0000])';
  const end = '(?=$|[\\s.,!?;:)\\]}"\'\\u0000…])';
  s = s.replace(new RegExp(`${edge}\\*([^*\\n]+?)\\*${end}`, 'g'), '$1<b>$2</b>');
  s = s.replace(new RegExp(`${edge}_([^_\\n]+?)_${end}`, 'g'), '$1<i>$2</i>');
  s = s.replace(new RegExp(`${edge}~([^~\\n]+?)~${end}`, 'g'), '$1<s>$2</s>');
  s = emojify(s);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks held-out HTML
  return s.replace(/\u0000(\d+)\u0000/g, (_a, i: string) => held[Number(i)] ?? '');
}

export function mrkdwnToHtml(text: string, ctx: MrkdwnContext): string {
  const out: string[] = [];
  const segments = text.split('```');
  segments.forEach((segment, i) => {
    if (i % 2 === 1 && i < segments.length - 1) {
      out.push(`<pre>${escapeHtml(segment.replace(/^\n/, '').replace(/\n$/, ''))}</pre>`);
      return;
    }
    const lines = (i % 2 === 1 ? `\`\`\`${segment}` : segment).split('\n');
    let quote: string[] = [];
    const flush = () => {
      if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
      quote = [];
    };
    const rendered: string[] = [];
    for (const line of lines) {
      const q = /^(>)\s?(.*)$/.exec(line);
      if (q) {
        if (rendered.length) {
          out.push(rendered.join('<br>'));
          rendered.length = 0;
        }
        quote.push(inline(q[2] ?? '', ctx));
      } else {
        flush();
        rendered.push(inline(line, ctx));
      }
    }
    flush();
    if (rendered.length) out.push(rendered.join('<br>'));
  });
  return out.join('');
}
