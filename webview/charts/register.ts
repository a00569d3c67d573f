// Registers only the chart.js parts the report uses, so the bundle leaves the rest out.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { errorBarsPlugin } from './errorBars';
import { workerMarkersPlugin } from './workerMarkers';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  errorBarsPlugin,
  workerMarkersPlugin,
);

export { Chart };
