// `kpibot ask … --chart FILE`: the answer's chart written as a PNG beside the printed text. A
// chart that cannot be drawn or written is logged and told on stderr; the answer stands.
import { answerPng } from '../charts/answer.ts';
import { thresholdOf } from '../charts/context.ts';
import type { CommandOutcome } from '../commands/outcome.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';

/** What of the command's io the chart needs (CommandIo; the bot's keeps the file for the CLI). */
export interface ChartIo {
  stderr(text: string): void;
  writeFile?(path: string, data: Buffer): Promise<void>;
}

/** What of the services the chart needs, and the renderer (a test passes one that fails). */
export type ChartDeps = Pick<Services, 'format' | 'catalog' | 'logger'> & {
  config: Pick<Config, 'locale' | 'businessModel'>;
  render?: typeof answerPng;
};

/** Writes the chart of the outcome's first answer to `path`; true when it was written. */
export async function writeAnswerChart(
  outcome: CommandOutcome,
  path: string,
  services: ChartDeps,
  io: ChartIo,
): Promise<boolean> {
  const fail = (reason: string, err?: unknown) => {
    services.logger.warn({ err, chart: path }, `chart not written: ${reason}`);
    io.stderr(`chart not written (${path}): ${reason}\n`);
    return false;
  };
  if (outcome.kind !== 'answer') return fail('the question got no answer to chart');
  const [answer, ...others] = outcome.result.answers;
  if (!answer) return fail('the answer holds no KPI');
  if (!io.writeFile) return fail('there is nowhere to write a file here');
  const started = performance.now();
  const render = services.render ?? answerPng;
  let rendered: ReturnType<typeof answerPng>;
  try {
    rendered = render(answer, {
      locale: services.config.locale,
      format: services.format,
      threshold: thresholdOf(services.catalog.get(answer.kpi.id), services.config.businessModel),
    });
  } catch (err) {
    return fail(`the chart could not be rendered: ${(err as Error).message}`, err);
  }
  try {
    await io.writeFile(path, rendered.png);
  } catch (err) {
    return fail((err as Error).message, err);
  }
  services.logger.debug(
    { chart: path, kpi: answer.kpi.id, ms: Math.round(performance.now() - started) },
    'chart written',
  );
  if (others.length > 0)
    io.stderr(`chart: ${answer.kpi.id} only (not ${others.map((a) => a.kpi.id).join(', ')})\n`);
  return true;
}
