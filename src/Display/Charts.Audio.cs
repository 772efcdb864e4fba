using Microsoft.FSharp.Core;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

public static partial class Charts
{
    private static readonly string[] MarkerColors = ["#d62728", "#7f7f7f", "#2ca02c", "#9467bd"];

    /// <summary>
    /// Amplitude spectra in dB, one panel per spectrum, stacked over one frequency axis from 0 to the highest
    /// Nyquist frequency among them, with dashed vertical lines at the marked frequencies (such as Nyquist
    /// frequencies). Long spectra are thinned for drawing to at most <paramref name="maxPoints"/> points, each the
    /// highest of its neighbouring bins, so that narrow peaks stay visible.
    /// </summary>
    /// <param name="panels">The titles and spectra, top panel first.</param>
    /// <param name="markers">Labels and frequencies of vertical lines drawn in every panel.</param>
    /// <param name="title">The title over all panels.</param>
    /// <param name="floorDb">The bottom of the dB axis; lower values are drawn at it.</param>
    /// <param name="maxPoints">The most points drawn per spectrum, at least 2.</param>
    /// <example><code>Charts.Spectra([("input, 16 kHz", Spectrum.Of(x, 16000, hann: true))], [("new Nyquist", 4000)])</code></example>
    public static GenericChart Spectra(IEnumerable<(string Title, Spectrum Spectrum)> panels,
        IEnumerable<(string Label, double Frequency)>? markers = null, string? title = null, double floorDb = -100, int maxPoints = 1500)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one spectrum, but panels is empty.", nameof(panels));
        foreach (var (name, spectrum) in list) ArgumentNullException.ThrowIfNull(spectrum, $"{nameof(panels)} ('{name}')");
        var marks = Marks(markers, nameof(markers));
        AudioGuard.Finite(floorDb, nameof(floorDb), "floor");
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, $"A spectrum needs at least 2 points to draw, but maxPoints is {maxPoints}.");

        double top = list.Max(p => p.Spectrum.Nyquist);
        double ceiling = Math.Max(10, Math.Ceiling(list.Max(p => p.Spectrum.Decibels.Max()) / 10) * 10 + 10);
        var charts = new List<GenericChart>();
        for (int i = 0; i < list.Count; i++)
        {
            var (x, y) = Thin(list[i].Spectrum.Frequencies, list[i].Spectrum.Decibels, maxPoints);
            var traces = new List<GenericChart>
            {
                PlotlyChart.Line<double, double, string>(x: x, y: y.Select(v => Math.Max(v, floorDb)).ToArray(),
                    Name: list[i].Title, ShowLegend: false, LineColor: Color.fromString("#1f77b4")),
            };
            traces.AddRange(MarkerLines(marks, floorDb, ceiling, labelled: i == 0));
            GenericChart panel = PlotlyChart.Combine(traces);
            panel = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(panel,
                TitleText: i == list.Count - 1 ? "frequency (Hz)" : "", MinMax: new Tuple<double, double>(0, top));
            panel = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(panel,
                TitleText: "dB", MinMax: new Tuple<double, double>(floorDb, ceiling));
            charts.Add(panel);
        }
        GenericChart grid = PlotlyChart.Grid(charts, list.Count, 1, SubPlotTitles: list.Select(p => p.Title).ToArray());
        grid = Plotly.NET.CSharp.GenericChartExtensions.WithSize(grid, 800, 90 + 220 * list.Count);
        return title is null ? grid : Chart.withTitle(title, null).Invoke(grid);
    }

    /// <summary>The gain of filter kernels against frequency, in dB, on one chart, with dashed vertical lines at the marked frequencies.</summary>
    /// <param name="responses">The names and responses of the kernels.</param>
    /// <param name="markers">Labels and frequencies of vertical lines.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="floorDb">The bottom of the dB axis; lower gains are drawn at it.</param>
    /// <example><code>Charts.FrequencyResponses([("low-pass", Decimation.Response(h, 16000))], [("new Nyquist", 4000)])</code></example>
    public static GenericChart FrequencyResponses(IEnumerable<(string Name, FrequencyResponse Response)> responses,
        IEnumerable<(string Label, double Frequency)>? markers = null, string? title = null, double floorDb = -100)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var list = responses.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one response, but responses is empty.", nameof(responses));
        foreach (var (name, response) in list) ArgumentNullException.ThrowIfNull(response, $"{nameof(responses)} ('{name}')");
        var marks = Marks(markers, nameof(markers));
        AudioGuard.Finite(floorDb, nameof(floorDb), "floor");

        var traces = list.Select(r => PlotlyChart.Line<double, double, string>(
            x: r.Response.Frequencies.Select(f => Math.Round(f, 1)).ToArray(),
            y: r.Response.Decibels.Select(v => Math.Round(Math.Max(v, floorDb), 2)).ToArray(),
            Name: r.Name, ShowLegend: true)).ToList();
        traces.AddRange(MarkerLines(marks, floorDb, 10, labelled: true));
        GenericChart chart = PlotlyChart.Combine(traces);
        // Inside the plot at the bottom left, which a low-pass response leaves empty, so the plot keeps the full width.
        chart = WithLegend(chart, new { x = 0.02, y = 0.03, xanchor = "left", yanchor = "bottom", bgcolor = "rgba(255,255,255,0.85)" });
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart,
            TitleText: "frequency (Hz)", MinMax: new Tuple<double, double>(0, list.Max(r => r.Response.SampleRate / 2.0)));
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
            TitleText: "gain (dB)", MinMax: new Tuple<double, double>(floorDb, 10));
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 800, 480);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>
    /// Stretches of signals against time, each sample marked, on one chart: signals at different rates line up,
    /// since each sample n of a signal at rate r is drawn at n / r seconds.
    /// </summary>
    /// <param name="series">The names, samples and sample rates.</param>
    /// <param name="fromSeconds">The start of the stretch, at least 0.</param>
    /// <param name="toSeconds">The end of the stretch, after the start.</param>
    /// <param name="title">The chart's title.</param>
    /// <example><code>Charts.Waveforms([("input", x, 16000), ("stride 2", y, 8000)], 0.100, 0.104)</code></example>
    public static GenericChart Waveforms(IEnumerable<(string Name, float[] Samples, int SampleRate)> series,
        double fromSeconds, double toSeconds, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one signal, but series is empty.", nameof(series));
        foreach (var (name, samples, rate) in list)
        {
            ArgumentNullException.ThrowIfNull(samples, $"{nameof(series)} ('{name}')");
            AudioGuard.SampleRate(rate, nameof(series));
        }
        AudioGuard.Finite(fromSeconds, nameof(fromSeconds), "start");
        AudioGuard.Finite(toSeconds, nameof(toSeconds), "end");
        if (fromSeconds < 0) throw new ArgumentOutOfRangeException(nameof(fromSeconds), fromSeconds, $"The start must not be negative, but fromSeconds is {AudioGuard.Text(fromSeconds)}.");
        if (toSeconds <= fromSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(toSeconds), toSeconds,
                $"The end must come after the start {AudioGuard.Text(fromSeconds)} s, but toSeconds is {AudioGuard.Text(toSeconds)}.");
        }
        var traces = list.Select(s =>
        {
            int first = (int)Math.Ceiling(fromSeconds * s.SampleRate);
            int last = Math.Min(s.Samples.Length - 1, (int)Math.Floor(toSeconds * s.SampleRate));
            int[] indices = Enumerable.Range(first, Math.Max(0, last - first + 1)).ToArray();
            return PlotlyChart.Line<double, double, string>(
                x: indices.Select(n => Math.Round(1000.0 * n / s.SampleRate, 6)).ToArray(),
                y: indices.Select(n => Math.Round((double)s.Samples[n], 5)).ToArray(),
                Name: s.Name, ShowMarkers: true, ShowLegend: true);
        });
        GenericChart chart = PlotlyChart.Combine(traces);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "time (ms)");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "sample value");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 800, 400);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>
    /// Spectrograms (<see cref="Spectrogram"/>), one panel per signal, stacked with one frequency range, from 0 to
    /// the highest Nyquist frequency among them, and one colour scale from <paramref name="floorDb"/> to 0 dB.
    /// Frames last <paramref name="frameSeconds"/> at every rate and do not overlap.
    /// </summary>
    /// <param name="panels">The titles, samples and sample rates, top panel first.</param>
    /// <param name="frameSeconds">The frame duration; at least 2 samples at every rate and no longer than any signal.</param>
    /// <param name="title">The title over all panels.</param>
    /// <param name="floorDb">The bottom of the colour scale, below 0.</param>
    /// <example><code>Charts.Spectrograms([("input", x, 16000), ("stride 2", y, 8000)])</code></example>
    public static GenericChart Spectrograms(IEnumerable<(string Title, float[] Samples, int SampleRate)> panels,
        double frameSeconds = 0.016, string? title = null, double floorDb = -80)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one signal, but panels is empty.", nameof(panels));
        AudioGuard.Finite(frameSeconds, nameof(frameSeconds), "frame duration");
        AudioGuard.Finite(floorDb, nameof(floorDb), "floor");
        if (floorDb >= 0) throw new ArgumentOutOfRangeException(nameof(floorDb), floorDb, $"The floor must be below 0 dB, but floorDb is {AudioGuard.Text(floorDb)}.");
        var spectrograms = new List<Spectrogram>();
        foreach (var (name, samples, rate) in list)
        {
            ArgumentNullException.ThrowIfNull(samples, $"{nameof(panels)} ('{name}')");
            AudioGuard.SampleRate(rate, nameof(panels));
            int frame = (int)Math.Round(frameSeconds * rate);
            if (frame < 2 || frame > samples.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(frameSeconds), frameSeconds,
                    $"A frame of {AudioGuard.Text(frameSeconds)} s is {frame} samples at {rate} Hz for '{name}'; it must be at least 2 and at most the signal's {samples.Length}.");
            }
            spectrograms.Add(Spectrogram.Of(samples, rate, frame, frame));
        }
        double top = spectrograms.Max(s => s.SampleRate / 2.0);
        double end = spectrograms.Max(s => s.Times[^1] + s.FrameLength / 2.0 / s.SampleRate);
        var charts = new List<GenericChart>();
        for (int i = 0; i < spectrograms.Count; i++)
        {
            Spectrogram s = spectrograms[i];
            int bins = s.Frequencies.Length, frames = s.Times.Length;
            var z = new double[bins][];
            for (int k = 0; k < bins; k++)
            {
                z[k] = new double[frames];
                for (int f = 0; f < frames; f++) z[k][f] = Math.Round(Math.Clamp(s.Decibels[k, f], floorDb, 0));
            }
            GenericChart panel = PlotlyChart.Heatmap<double, double, double, string>(
                zData: z, X: s.Times.Select(t => Math.Round(t, 4)).ToArray(), Y: s.Frequencies.Select(f => Math.Round(f, 1)).ToArray(),
                ColorScale: StyleParam.Colorscale.Viridis, ShowScale: i == 0);
            panel = GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
            {
                trace.SetProperty("zmin", floorDb);
                trace.SetProperty("zmax", 0.0);
                return trace;
            }), panel);
            panel = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(panel,
                TitleText: i == spectrograms.Count - 1 ? "time (s)" : "", MinMax: new Tuple<double, double>(0, end));
            panel = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(panel,
                TitleText: "Hz", MinMax: new Tuple<double, double>(0, top));
            charts.Add(panel);
        }
        GenericChart grid = PlotlyChart.Grid(charts, list.Count, 1, SubPlotTitles: list.Select(p => p.Title).ToArray());
        grid = Plotly.NET.CSharp.GenericChartExtensions.WithSize(grid, 800, 90 + 220 * list.Count);
        return title is null ? grid : Chart.withTitle(title, null).Invoke(grid);
    }

    private static List<(string Label, double Frequency)> Marks(IEnumerable<(string Label, double Frequency)>? markers, string paramName)
    {
        var list = markers?.ToList() ?? [];
        foreach (var (label, frequency) in list)
        {
            ArgumentNullException.ThrowIfNull(label, paramName);
            AudioGuard.Finite(frequency, paramName, $"frequency of the marker '{label}'");
        }
        return list;
    }

    /// <summary>Dashed vertical lines, labelled at their top on the left side when <paramref name="labelled"/>, never in the legend.</summary>
    private static IEnumerable<GenericChart> MarkerLines(List<(string Label, double Frequency)> marks, double bottom, double top, bool labelled) =>
        marks.Select((m, i) =>
        {
            string color = MarkerColors[i % MarkerColors.Length];
            GenericChart line = PlotlyChart.Line<double, double, string>(
                x: [m.Frequency, m.Frequency], y: [bottom, top], Name: m.Label, ShowLegend: false,
                MultiText: labelled ? new[] { "", m.Label + " " } : new[] { "", "" }, TextPosition: StyleParam.TextPosition.BottomLeft,
                LineColor: Color.fromString(color), LineDash: StyleParam.DrawingStyle.Dash);
            return GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
            {
                trace.SetProperty("textfont", new { color, size = 11 });
                return trace;
            }), line);
        });

    private static GenericChart WithLegend(GenericChart chart, object legend) =>
        GenericChart.mapLayout(FuncConvert.FromFunc<Layout, Layout>(layout =>
        {
            layout.SetProperty("legend", legend);
            return layout;
        }), chart);

    /// <summary>At most <paramref name="maxPoints"/> points: the highest value of each run of neighbouring bins.</summary>
    private static (double[] X, double[] Y) Thin(double[] x, double[] y, int maxPoints)
    {
        int group = (x.Length + maxPoints - 1) / maxPoints;
        var xs = new List<double>();
        var ys = new List<double>();
        for (int start = 0; start < x.Length; start += group)
        {
            int best = start;
            for (int k = start + 1; k < Math.Min(x.Length, start + group); k++)
            {
                if (y[k] > y[best]) best = k;
            }
            xs.Add(Math.Round(x[best], 1));
            ys.Add(Math.Round(y[best], 1));
        }
        return (xs.ToArray(), ys.ToArray());
    }
}
