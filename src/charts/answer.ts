// The chart for an answer: bars when it is broken down by channel or campaign, else the trend.
import type { KpiAnswer } from '../query/answer.ts';
import { answerAltText } from './alt.ts';
import { breakdownChart } from './breakdown.ts';
import type { Chart, ChartContext } from './context.ts';
import { withText } from './png.ts';
import { renderPng } from './render.ts';
import { trendChart } from './trend.ts';

export interface AnswerChart extends Chart {
  alt: string;
}

export function answerChart(answer: KpiAnswer, ctx: ChartContext): AnswerChart {
  const chart = answer.breakdown ? breakdownChart(answer, ctx) : trendChart(answer, ctx);
  return { ...chart, alt: answerAltText(answer, ctx) };
}

export interface AnswerPng {
  png: Buffer;
  alt: string;
  width: number;
  height: number;
}

/** The answer's chart as a PNG (twice its CSS size), its alt text inside as `Description`. */
export function answerPng(answer: KpiAnswer, ctx: ChartContext): AnswerPng {
  const chart = answerChart(answer, ctx);
  const { png, width, height } = renderPng(chart.svg);
  return { png: withText(png, 'Description', chart.alt), alt: chart.alt, width, height };
}
