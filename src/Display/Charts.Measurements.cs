using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

public static partial class Charts
{
    /// <summary>
    /// Measured times against a parameter: every sample as a faint point, so that the spread of the runs shows, the
    /// median and the fastest sample of each setting as lines, and optionally a prediction as a dashed line. Other programs
    /// only ever add time, so the fastest sample is the best estimate of the work itself, and its gap to the median shows
    /// how much the runs were disturbed.
    /// </summary>
    /// <param name="x">One value per setting, such as the stride.</param>
    /// <param name="measured">The samples of each setting, one <see cref="TimingSamples"/> per x value.</param>
    /// <param name="predicted">The predicted time of each setting, or null for none.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="logY">Whether the time axis is logarithmic, which shows ratios as equal steps.</param>
    /// <param name="predictedName">The legend entry of the prediction.</param>
    /// <example><code>Charts.Timings([1, 2, 3, 4], times, predicted, "Conv2d time against stride", "stride")</code></example>
    public static GenericChart Timings(double[] x, IReadOnlyList<TimingSamples> measured, double[]? predicted = null,
        string? title = null, string? xTitle = null, string yTitle = "milliseconds per call", bool logY = true,
        string predictedName = "predicted")
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(yTitle);
        ArgumentNullException.ThrowIfNull(predictedName);
        if (x.Length == 0) throw new ArgumentException("There must be at least one setting, but x is empty.", nameof(x));
        if (measured.Count != x.Length)
            throw new ArgumentException($"There must be one timing per x value ({x.Length}), but measured has {measured.Count}.", nameof(measured));
        for (int i = 0; i < measured.Count; i++)
        {
            if (measured[i] is null) throw new ArgumentNullException(nameof(measured), $"measured[{i}] is null.");
        }
        if (predicted is not null && predicted.Length != x.Length)
            throw new ArgumentException($"There must be one prediction per x value ({x.Length}), but predicted has {predicted.Length}.", nameof(predicted));

        double[] sampleX = measured.SelectMany((t, i) => Enumerable.Repeat(x[i], t.Count)).ToArray();
        double[] sampleY = measured.SelectMany(t => t.Milliseconds).ToArray();
        var traces = new List<GenericChart>
        {
            PlotlyChart.Point<double, double, string>(x: sampleX, y: sampleY, Name: "each sample", Opacity: 0.45,
                MarkerColor: Color.fromString("#7f7f7f")),
            PlotlyChart.Line<double, double, string>(x: x, y: measured.Select(t => t.Median).ToArray(), Name: "median",
                ShowMarkers: true, LineColor: Color.fromString("#1f77b4"), MarkerColor: Color.fromString("#1f77b4")),
            PlotlyChart.Line<double, double, string>(x: x, y: measured.Select(t => t.Min).ToArray(), Name: "fastest sample",
                ShowMarkers: true, LineColor: Color.fromString("#2ca02c"), MarkerColor: Color.fromString("#2ca02c")),
        };
        if (predicted is not null)
        {
            traces.Add(PlotlyChart.Line<double, double, string>(x: x, y: predicted, Name: predictedName,
                LineColor: Color.fromString("#ff7f0e"), LineDash: StyleParam.DrawingStyle.Dash));
        }
        GenericChart chart = PlotlyChart.Combine(traces);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle ?? "");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
            TitleText: yTitle, AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 760, 420);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }
}
