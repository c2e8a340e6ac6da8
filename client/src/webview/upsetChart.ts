/// <reference lib="dom" />
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { chartTheme, onThemeChange, type ChartTheme } from './chartTheme';
import { formatNumber } from './viewModel';

Chart.register(BarController, BarElement, ScatterController, PointElement, LinearScale, CategoryScale, Tooltip);

/** One bar: the profiles in exactly these segments (indexes into the segment labels). */
export interface UpsetCell {
  members: number[];
  count: number;
}

/** Bars the chart shows at most (the largest); the table lists every intersection. */
export const UPSET_BARS = 20;

/** A segment's label on the chart's axis, shortened (the table and the legend have it in full). */
function axisLabel(label: string): string {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

/**
 * An UpSet chart: bars of the exclusive intersections, largest first, above a dot matrix of which
 * segments each bar is (filled dots joined by a line). Chart.js draws both parts on one canvas,
 * on two stacked y axes that share the x axis, so bars and dots line up. Labels are drawn on the
 * canvas as text: segment names cannot become markup. A click on a column picks its cell.
 */
export class UpsetChart {
  private chart: Chart | undefined;
  private cells: UpsetCell[] = [];
  private labels: string[] = [];
  private selected = -1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly box: HTMLElement,
    private readonly onPick: (cell: UpsetCell) => void,
  ) {
    onThemeChange(() => this.draw());
  }

  show(cells: readonly UpsetCell[], labels: readonly string[]): void {
    this.cells = cells.slice(0, UPSET_BARS);
    this.labels = [...labels];
    this.selected = -1;
    // Room for the bars plus one row of dots per segment.
    this.box.style.height = `${150 + 22 * labels.length}px`;
    this.draw();
  }

  /** Highlights the bar of a cell (undefined: none). */
  select(members: readonly number[] | undefined): void {
    const key = members?.join(',');
    this.selected = this.cells.findIndex((cell) => cell.members.join(',') === key);
    this.draw();
  }

  private datasets(theme: ChartTheme): ChartDataset[] {
    const columns = this.cells.map((_, i) => String(i + 1));
    const dots = (inside: boolean) =>
      this.cells.flatMap((cell, i) =>
        this.labels
          .map((_, s) => ({ x: columns[i], y: s, inside: cell.members.includes(s) }))
          .filter((d) => d.inside === inside)
          .map(({ x, y }) => ({ x, y })),
      );
    const barColor = (i: number) => (i === this.selected ? theme.accent : theme.series);
    return [
      {
        type: 'bar',
        label: 'Profiles',
        yAxisID: 'count',
        data: this.cells.map((cell) => cell.count),
        backgroundColor: this.cells.map((_, i) => barColor(i)),
        borderColor: theme.foreground,
        borderWidth: theme.borderWidth,
        categoryPercentage: 0.8,
        barPercentage: 0.9,
      },
      // The line joining a bar's segments: a thin floating bar from its first to its last member.
      {
        type: 'bar',
        label: 'members',
        yAxisID: 'sets',
        data: this.cells.map((cell) => [Math.min(...cell.members), Math.max(...cell.members)] as [number, number]),
        backgroundColor: theme.foreground,
        borderWidth: 0,
        barThickness: theme.highContrast ? 4 : 2,
        grouped: false,
      },
      {
        type: 'scatter',
        label: 'not in',
        yAxisID: 'sets',
        data: dots(false),
        backgroundColor: theme.background,
        borderColor: theme.muted,
        borderWidth: theme.highContrast ? 2 : 1,
        pointRadius: theme.pointRadius + 2,
      },
      {
        type: 'scatter',
        label: 'in',
        yAxisID: 'sets',
        data: dots(true),
        backgroundColor: theme.foreground,
        borderColor: theme.foreground,
        pointRadius: theme.pointRadius + 2.5,
      },
    ] as ChartDataset[];
  }

  private configuration(theme: ChartTheme): ChartConfiguration {
    const font = { family: theme.font, size: theme.fontSize - 1 };
    const segments = this.labels.length;
    return {
      type: 'bar',
      data: { labels: this.cells.map((_, i) => String(i + 1)), datasets: this.datasets(theme) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false, axis: 'x' },
        onClick: (_event, active) => {
          const index = active[0]?.index;
          if (index !== undefined && this.cells[index]) this.onPick(this.cells[index]);
        },
        onHover: (event, active) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = active.length ? 'pointer' : 'default';
        },
        scales: {
          x: { ticks: { color: theme.foreground, font }, grid: { display: false }, border: { color: theme.lines, width: theme.highContrast ? 2 : 1 } },
          // Stacked axes sharing x: Chart.js lays the stack out bottom-up in this order, so the
          // dot matrix comes first (bottom) and the bars second (top), as in an UpSet chart.
          sets: {
            type: 'linear',
            position: 'left',
            stack: 'upset',
            stackWeight: Math.max(1, segments * 0.35),
            reverse: true,
            min: -0.5,
            max: segments - 0.5,
            offset: false,
            afterBuildTicks: (axis) => {
              axis.ticks = this.labels.map((_, s) => ({ value: s }));
            },
            ticks: { color: theme.foreground, font, autoSkip: false, callback: (value) => axisLabel(this.labels[Number(value)] ?? '') },
            grid: { display: false },
            border: { display: false },
          },
          count: {
            type: 'linear',
            position: 'left',
            stack: 'upset',
            stackWeight: 2,
            beginAtZero: true,
            ticks: { color: theme.foreground, font, maxTicksLimit: 5, callback: (value) => formatNumber(Number(value)) },
            grid: { color: theme.lines, lineWidth: theme.highContrast ? 1.5 : 0.5 },
            border: { display: false },
            title: { display: true, text: 'profiles', color: theme.foreground, font },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            filter: (item) => item.datasetIndex === 0,
            callbacks: {
              title: (items) => {
                const cell = this.cells[items[0]?.dataIndex ?? -1];
                return cell ? `${cell.members.map((s) => this.labels[s]).join(' ∩ ')}${cell.members.length < segments ? ' (only)' : ''}` : '';
              },
              label: (item) => `${formatNumber(this.cells[item.dataIndex]?.count ?? 0)} profiles · click to list them`,
            },
          },
        },
      },
    };
  }

  private draw(): void {
    if (this.cells.length === 0 && !this.chart) return;
    const configuration = this.configuration(chartTheme());
    if (this.chart) {
      this.chart.data = configuration.data;
      this.chart.options = configuration.options ?? {};
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas, configuration);
  }
}
