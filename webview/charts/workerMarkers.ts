// A chart.js plugin that marks worker-count boundaries (physical cores, usable cores) as labelled vertical lines.
import type { Chart, ChartType, Plugin } from 'chart.js';

export interface WorkerMarker {
  workers: number;
  label: string;
  colour: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Labelled vertical lines at worker counts (read by workerMarkersPlugin). */
    amdahlWorkerMarkers?: { markers: WorkerMarker[]; chartType?: TType };
  }
}

export const workerMarkersPlugin: Plugin = {
  id: 'amdahlWorkerMarkers',
  afterDraw(chart: Chart, _args, options: { markers?: WorkerMarker[] }) {
    const xScale = chart.scales.x;
    const { chartArea, ctx } = chart;
    if (!xScale || !options.markers) return;
    options.markers.forEach((marker, index) => {
      const x = xScale.getPixelForValue(marker.workers);
      if (x < chartArea.left || x > chartArea.right) return;
      ctx.save();
      ctx.strokeStyle = marker.colour;
      ctx.fillStyle = marker.colour;
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.font = '11px sans-serif';
      ctx.textAlign = x > chartArea.right - 120 ? 'right' : 'left';
      ctx.fillText(marker.label, x + (ctx.textAlign === 'right' ? -4 : 4), chartArea.top + 12 + index * 14);
      ctx.restore();
    });
  },
};
