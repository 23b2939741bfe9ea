import { useId, type ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartPoint } from './program-metrics-format';

// The program dashboard's charts. This module (and recharts with it) is loaded only by the program
// dashboard, through React.lazy: no other page pays for the chart library. Every figure drawn here
// is also in the dashboard's table, so the charts are a view, not the only way to read them.

const COLORS = {
  primary: 'var(--color-primary)',
  success: 'var(--color-success)',
  muted: 'var(--color-border-strong)',
  accent: 'var(--color-focus)',
};

function ChartFigure({ title, note, children }: { title: string; note?: string; children: ReactElement }) {
  const id = useId();
  return (
    <figure className="metrics-chart" aria-labelledby={id}>
      <figcaption id={id} className="metrics-chart__title">
        {title}
        {note && <span className="muted small"> · {note}</span>}
      </figcaption>
      <div className="metrics-chart__canvas">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const axis = { fontSize: 12 };

export default function ProgramCharts({ points }: { points: ChartPoint[] }) {
  return (
    <div className="metrics-charts">
      <ChartFigure title="Requests and acceptance rate">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis yAxisId="count" allowDecimals={false} tick={axis} />
          <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={axis} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="count" dataKey="requests" name="Requests" fill={COLORS.muted} isAnimationActive={false} />
          <Bar yAxisId="count" dataKey="accepted" name="Accepted" fill={COLORS.primary} isAnimationActive={false} />
          <Line
            yAxisId="share"
            dataKey="acceptance"
            name="Acceptance rate (%)"
            stroke={COLORS.accent}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFigure>
      <ChartFigure title="Mentorships">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip />
          <Legend />
          <Bar dataKey="started" name="Started" fill={COLORS.muted} isAnimationActive={false} />
          <Line dataKey="active" name="Active" stroke={COLORS.primary} strokeWidth={2} isAnimationActive={false} />
        </ComposedChart>
      </ChartFigure>
      <ChartFigure title="Agreed check-ins kept" note="held against the agreed cadence">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis yAxisId="count" allowDecimals={false} tick={axis} />
          <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={axis} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="count" dataKey="expected" name="Expected" fill={COLORS.muted} isAnimationActive={false} />
          <Bar yAxisId="count" dataKey="held" name="Held" fill={COLORS.primary} isAnimationActive={false} />
          <Line
            yAxisId="share"
            dataKey="kept"
            name="Kept (%)"
            stroke={COLORS.success}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFigure>
      <ChartFigure title="Average feedback" note="1–5; gaps where too few ratings to show">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} tick={axis} />
          <Tooltip />
          <Line
            dataKey="rating"
            name="Average rating"
            stroke={COLORS.primary}
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ChartFigure>
      <ChartFigure title="Goals completed">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip />
          <Bar dataKey="goals" name="Goals completed" fill={COLORS.success} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
    </div>
  );
}
