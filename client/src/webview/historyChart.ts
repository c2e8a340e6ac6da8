/// <reference lib="dom" />
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { el } from './dom';
import { chartTheme, onThemeChange, type ChartTheme } from './chartTheme';
import type { HistoryPointInfo, HistoryResult } from '../../../server/src/protocol';
import { formatNumber, formatPercent } from './viewModel';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

export interface HistoryChartElements {
  section: HTMLElement;
  canvas: HTMLCanvasElement;
  status: HTMLElement;
  progress: HTMLProgressElement;
  table: HTMLTableElement;
}

/** "Oct 15" of a UTC day `YYYY-MM-DD` (the axis; the table has the full day). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function shortDay(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${MONTHS[month - 1] ?? day.slice(5, 7)} ${Number(day.slice(8, 10))}`;
}

/**
 * The preview's "Size over time": a line chart of the count as of the end of each day (Chart.js
 * on a canvas, in the theme's chart colours, redrawn when the theme changes) and the same numbers
 * in a table, which is what screen readers read (the canvas is an image with a label). A click on
 * a day, on the chart or on the table's button, picks it (`onPick`); the last day is now.
 */
export class HistoryChart {
  private chart: Chart<'line', (number | null)[], string> | undefined;
  private points: HistoryPointInfo[] = [];
  private selectedDay: string | undefined;

  constructor(
    private readonly elements: HistoryChartElements,
    private readonly onPick: (point: HistoryPointInfo, isToday: boolean) => void,
  ) {
    onThemeChange(() => this.applyTheme());
  }

  /** The series is being computed: `done` of `total` days. */
  progress(done: number, total: number): void {
    const { status, progress, section } = this.elements;
    section.dataset.state = 'computing';
    progress.hidden = false;
    progress.max = Math.max(1, total);
    progress.value = done;
    status.textContent = total ? `Computing… ${done} of ${total} days` : 'Computing…';
  }

  /** No series to show, and why. */
  message(text: string, state: string): void {
    this.elements.section.dataset.state = state;
    this.elements.progress.hidden = true;
    this.elements.status.textContent = text;
  }

  show(result: HistoryResult): void {
    const { section, progress, status, canvas } = this.elements;
    progress.hidden = true;
    if (result.state !== 'ok' || result.points.length === 0) {
      this.message(result.message ?? (result.state === 'cancelled' ? 'Cancelled.' : 'No size over time for this segment.'), result.state);
      return;
    }
    this.points = result.points;
    if (this.selectedDay && !this.points.some((p) => p.day === this.selectedDay)) this.selectedDay = undefined;
    section.dataset.state = 'ok';
    const first = this.points[0];
    const last = this.points[this.points.length - 1];
    const counted = this.points.filter((p) => p.matched !== null);
    status.textContent = result.notEvaluable.length
      ? `Not evaluable locally: ${result.notEvaluable.join(' · ')}`
      : `${this.points.length} days, ${first.day} to ${last.day} (UTC): ${formatNumber(Math.min(...counted.map((p) => p.matched as number)))} to ${formatNumber(Math.max(...counted.map((p) => p.matched as number)))} profiles · computed in ${formatNumber(result.elapsedMs)} ms`;
    canvas.setAttribute(
      'aria-label',
      `Line chart of the profiles the segment matched at the end of each day from ${first.day} to ${last.day}; today is now. The table "Numbers per day" has the same numbers.`,
    );
    this.renderTable();
    this.draw();
  }

  /** The day shown "as of" (undefined: now). */
  select(day: string | undefined): void {
    this.selectedDay = day;
    for (const row of Array.from(this.elements.table.tBodies[0]?.rows ?? [])) row.classList.toggle('selected', row.dataset.day === day);
    this.chart?.update('none');
  }

  private renderTable(): void {
    const table = this.elements.table;
    const body = el('tbody');
    this.points.forEach((point, i) => {
      const isToday = i === this.points.length - 1;
      const button = el(
        'button',
        { type: 'button', class: 'link', 'aria-label': isToday ? 'Show the segment now' : `Show the segment as of ${point.day}` },
        isToday ? 'Now' : 'Show',
      );
      button.addEventListener('click', () => this.onPick(point, isToday));
      const row = el(
        'tr',
        { 'data-day': point.day },
        el('th', { scope: 'row' }, isToday ? `${point.day} (now)` : point.day),
        el('td', {}, point.matched === null ? 'n/a' : formatNumber(point.matched)),
        el('td', {}, formatNumber(point.total)),
        el('td', {}, point.matched === null ? '' : formatPercent(point.matched, point.total)),
        el('td', {}, button),
      );
      if (point.day === this.selectedDay) row.classList.add('selected');
      body.append(row);
    });
    table.tBodies[0]?.remove();
    table.append(body);
  }

  private configuration(theme: ChartTheme): ChartConfiguration<'line', (number | null)[], string> {
    const selected = () => this.points.findIndex((p) => p.day === this.selectedDay);
    const ticks = { color: theme.foreground, font: { family: theme.font, size: theme.fontSize - 1 } };
    return {
      type: 'line',
      data: {
        labels: this.points.map((p) => p.day),
        datasets: [
          {
            label: 'Profiles matched',
            data: this.points.map((p) => p.matched),
            borderColor: theme.series,
            backgroundColor: theme.series,
            borderWidth: theme.lineWidth,
            pointRadius: (context) =>
              context.dataIndex === selected() ? theme.pointRadius + 3 : context.dataIndex === this.points.length - 1 ? theme.pointRadius + 1 : 0,
            pointHoverRadius: theme.pointRadius + 3,
            pointBackgroundColor: (context) => (context.dataIndex === selected() ? theme.accent : theme.series),
            pointBorderColor: (context) => (context.dataIndex === selected() ? theme.accent : theme.series),
            spanGaps: false,
            tension: 0,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        onClick: (_event, active) => {
          const index = active[0]?.index;
          if (index !== undefined && this.points[index]) this.onPick(this.points[index], index === this.points.length - 1);
        },
        onHover: (event, active) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = active.length ? 'pointer' : 'default';
        },
        scales: {
          x: {
            ticks: { ...ticks, maxRotation: 0, autoSkipPadding: 16, callback: (_value, index) => shortDay(this.points[index]?.day ?? '') },
            grid: { display: false },
            border: { color: theme.lines, width: theme.highContrast ? 2 : 1 },
          },
          y: {
            ticks: { ...ticks, maxTicksLimit: 5, callback: (value) => formatNumber(Number(value)) },
            grid: { color: theme.lines, lineWidth: theme.highContrast ? 1.5 : 0.5 },
            border: { display: false },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              title: (items) => {
                const index = items[0]?.dataIndex ?? 0;
                return index === this.points.length - 1 ? `${this.points[index]?.day} (now)` : `End of ${this.points[index]?.day} (UTC)`;
              },
              label: (item) => {
                const point = this.points[item.dataIndex];
                return point?.matched === null || !point
                  ? 'not evaluable locally'
                  : `${formatNumber(point.matched)} of ${formatNumber(point.total)} profiles (${formatPercent(point.matched, point.total)}) · click to show`;
              },
            },
          },
        },
      },
    };
  }

  private draw(): void {
    const theme = chartTheme();
    const configuration = this.configuration(theme);
    if (this.chart) {
      this.chart.data = configuration.data;
      this.chart.options = configuration.options ?? {};
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.elements.canvas, configuration);
  }

  /** The theme changed: read its colours again and redraw. */
  private applyTheme(): void {
    if (this.chart) this.draw();
  }
}
