// A chart.js plugin that draws 95% confidence intervals as vertical error bars on datasets that carry them.
import type { Chart, ChartDataset, Plugin } from 'chart.js';

/** Lower and upper bounds per data index, set on a dataset as `errorBars`. */
export type ErrorBars = ([number, number] | null)[];

interface WithErrorBars {
  errorBars?: ErrorBars;
}

export const errorBarsPlugin: Plugin<'line' | 'scatter'> = {
  id: 'amdahlErrorBars',
  afterDatasetsDraw(chart: Chart) {
    const { ctx } = chart;
    const yScale = chart.scales.y;
    if (!yScale) return;
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const bars = (dataset as ChartDataset & WithErrorBars).errorBars;
      if (!bars || !chart.isDatasetVisible(datasetIndex)) return;
      const meta = chart.getDatasetMeta(datasetIndex);
      ctx.save();
      ctx.strokeStyle = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#888';
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, index) => {
        const bounds = bars[index];
        if (!bounds) return;
        const x = element.x;
        const top = yScale.getPixelForValue(bounds[1]);
        const bottom = yScale.getPixelForValue(bounds[0]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 4, top);
        ctx.lineTo(x + 4, top);
        ctx.moveTo(x - 4, bottom);
        ctx.lineTo(x + 4, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
